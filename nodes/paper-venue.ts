import { VenueConnectors, registerVenueKinds } from '../actors/venue/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import { FixedDecimal, Money, Price, Quantity, createInstrument } from '../domain/index.ts';
import type { Instrument } from '../domain/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { MarketDataGenerator, MatchingEngine, PaperConnector } from '../venues/paper/index.ts';

/** The generated markets of a development node: symbol, assets, tick, step and where the mid starts. */
const MARKETS = [
  { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', tick: '0.01', step: '0.0001', mid: '65000.00' },
  { symbol: 'ETH-USD', base: 'ETH', quote: 'USD', tick: '0.01', step: '0.001', mid: '3200.00' },
  { symbol: 'EUR-USD', base: 'EUR', quote: 'USD', tick: '0.00001', step: '1', mid: '1.08000' },
] as const;

/** Generated actions per market before the venue opens, so that books start with depth. */
const WARM_UP_ACTIONS = 2_000;

/** The engine account the paper connector trades as (the generator uses its own accounts). */
export const PAPER_ACCOUNT = 'paper-desk';

function paperInstrument(market: (typeof MARKETS)[number]): Instrument {
  return createInstrument({
    venue: 'paper',
    symbol: market.symbol,
    baseAsset: market.base,
    quoteAsset: market.quote,
    tickSize: Price.parse(market.tick),
    stepSize: Quantity.parse(market.step),
    minQuantity: Quantity.parse(market.step),
    maxQuantity: Quantity.parse('1000000'),
    minNotional: Money.parse('1', market.quote),
  });
}

export interface PaperVenueServices {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Seed of the generated order flow (same seed, same markets). */
  readonly seed?: number;
}

/**
 * Registers the `venue` and `book` kinds on `node` with the built-in paper venue: an in-process
 * matching engine over BTC-USD, ETH-USD and EUR-USD whose markets move by generated order flow
 * (arrivals, cancels, trades around a drifting mid) while the venue actor is active.
 */
export function registerPaperVenue(node: ClusterNode, services: PaperVenueServices): void {
  const seed = services.seed ?? 1;
  const connectors = new VenueConnectors({
    paper: () => {
      const markets = MARKETS.map((market) => ({ market, instrument: paperInstrument(market) }));
      const instruments = markets.map(({ instrument }) => instrument);
      const engine = new MatchingEngine({
        instruments,
        makerFeeRate: FixedDecimal.parse('0.001'),
        takerFeeRate: FixedDecimal.parse('0.002'),
        clock: () => Date.now(),
        seed,
      });
      const generators = markets.map(({ market, instrument }, index) => {
        const generator = new MarketDataGenerator({
          engine,
          instrumentId: instrument.id,
          seed: seed + index,
          initialMid: Price.parse(market.mid),
          // ≈ 0.02 % per second at 15 actions/s: a market that moves visibly, not wildly.
          volatility: 0.00005,
        });
        generator.step(WARM_UP_ACTIONS);
        return generator;
      });
      return new PaperConnector({
        engine,
        instruments,
        accountId: PAPER_ACCOUNT,
        logger: services.logger.child({ venue: 'paper' }),
        generation: { generators, actionsPerTick: 3, tickMs: 200 },
      });
    },
  });
  registerVenueKinds(node, { connectors, metrics: services.metrics });
}
