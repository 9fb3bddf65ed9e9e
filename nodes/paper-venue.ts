import { VenueConnectors, registerVenueKinds } from '../actors/venue/index.ts';
import type { VenueConnectorFactory } from '../actors/venue/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import { FixedDecimal, Money, Price, Quantity, createInstrument } from '../domain/index.ts';
import type { Instrument } from '../domain/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { MarketDataGenerator, MatchingEngine, PaperConnector } from '../venues/paper/index.ts';

/** One generated market of the paper venue. */
export interface PaperMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tick: string;
  readonly step: string;
  /** Where the mid starts (the simulators' reference prices, so that an asset trades near one price on every venue). */
  readonly mid: string;
  /** What the paper desk account holds of the base asset at start. */
  readonly deskFunds: string;
}

/** The paper venue's markets unless a caller names others. */
export const PAPER_MARKETS: readonly PaperMarket[] = [
  {
    symbol: 'BTC-USD',
    base: 'BTC',
    quote: 'USD',
    tick: '0.01',
    step: '0.0001',
    mid: '30000.00',
    deskFunds: '100',
  },
  {
    symbol: 'ETH-USD',
    base: 'ETH',
    quote: 'USD',
    tick: '0.01',
    step: '0.001',
    mid: '2000.00',
    deskFunds: '1000',
  },
  {
    symbol: 'EUR-USD',
    base: 'EUR',
    quote: 'USD',
    tick: '0.00001',
    step: '1',
    mid: '1.10000',
    deskFunds: '1000000',
  },
];

/** Generated actions per market before the venue opens, so that books start with depth. */
const WARM_UP_ACTIONS = 2_000;

/** The engine account the paper connector trades as (the generator uses its own accounts). */
export const PAPER_ACCOUNT = 'paper-desk';

/** What the paper desk account holds of each quote asset at start: enough for the demo strategies, not unlimited. */
const PAPER_DESK_QUOTE_FUNDS = '1000000';

/** Fee rates of the paper venue (also what the arbitrage detector nets out). */
export const PAPER_FEES = { maker: '0.001', taker: '0.002' } as const;

function paperInstrument(market: PaperMarket): Instrument {
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
  /** The generated markets. Default PAPER_MARKETS (BTC-USD, ETH-USD, EUR-USD). */
  readonly markets?: readonly PaperMarket[];
  /** The engine's window of the desk's closed orders (`retainClosedOrders`); default the engine's. */
  readonly retainClosedOrders?: number;
  /** The connector's window of closed orders' fills (`retainFillsOfOrders`); default the connector's. */
  readonly retainFillsOfOrders?: number;
}

/** The paper venue of one node process: its engine, markets, and the factory of its connectors. */
export interface PaperVenue {
  readonly engine: MatchingEngine;
  readonly instruments: readonly Instrument[];
  /** A new connector over the SAME engine: a re-activated `venue/paper` keeps orders and balances. */
  readonly connector: VenueConnectorFactory;
}

/**
 * The built-in paper venue: an in-process matching engine over BTC-USD, ETH-USD and EUR-USD whose
 * markets move by generated order flow (arrivals, cancels, trades around a drifting mid) while a
 * connector is started. The engine and its generators are made once per call, outside the
 * connector factory, so reconnects and passivations of `venue/paper` find the same book, orders
 * and balances; only a restart of the process (or failover to another node) starts afresh.
 */
export function createPaperVenue(services: PaperVenueServices): PaperVenue {
  const seed = services.seed ?? 1;
  const markets = (services.markets ?? PAPER_MARKETS).map((market) => {
    const instrument = paperInstrument(market);
    // The generated flow's accounts (the generator's own naming): a maker and a taker per market.
    return {
      market,
      instrument,
      makerAccountId: `paper-mm-${instrument.id}`,
      takerAccountId: `paper-taker-${instrument.id}`,
    };
  });
  const instruments = markets.map(({ instrument }) => instrument);
  const engine = new MatchingEngine({
    instruments,
    makerFeeRate: FixedDecimal.parse(PAPER_FEES.maker),
    takerFeeRate: FixedDecimal.parse(PAPER_FEES.taker),
    clock: () => Date.now(),
    seed,
    // Nobody looks up the flow's closed orders: a short window for them; the desk keeps the long one.
    briefRetention: { accountIds: markets.flatMap((m) => [m.makerAccountId, m.takerAccountId]) },
    ...(services.retainClosedOrders === undefined ? {} : { retainClosedOrders: services.retainClosedOrders }),
  });
  for (const quote of new Set(markets.map(({ market }) => market.quote)))
    engine.deposit(PAPER_ACCOUNT, quote, PAPER_DESK_QUOTE_FUNDS);
  for (const { market } of markets) engine.deposit(PAPER_ACCOUNT, market.base, market.deskFunds);
  const generators = markets.map(({ market, instrument, makerAccountId, takerAccountId }, index) => {
    const generator = new MarketDataGenerator({
      engine,
      instrumentId: instrument.id,
      seed: seed + index,
      initialMid: Price.parse(market.mid),
      makerAccountId,
      takerAccountId,
      // ≈ 0.02 % per second at 15 actions/s: a market that moves visibly, not wildly.
      volatility: 0.00005,
    });
    generator.step(WARM_UP_ACTIONS);
    return generator;
  });
  const logger = services.logger.child({ venue: 'paper' });
  return {
    engine,
    instruments,
    connector: () =>
      new PaperConnector({
        engine,
        instruments,
        accountId: PAPER_ACCOUNT,
        logger,
        generation: { generators, actionsPerTick: 3, tickMs: 200 },
        ...(services.retainFillsOfOrders === undefined
          ? {}
          : { retainFillsOfOrders: services.retainFillsOfOrders }),
      }),
  };
}

/**
 * Registers the `venue` and `book` kinds on `node` with only the built-in paper venue (nodes that
 * are not in development, and tests that need no simulators).
 */
export function registerPaperVenue(node: ClusterNode, services: PaperVenueServices): void {
  const paper = createPaperVenue(services);
  registerVenueKinds(node, {
    connectors: new VenueConnectors({ paper: paper.connector }),
    metrics: services.metrics,
  });
}
