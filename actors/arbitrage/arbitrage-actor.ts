import { isNinjaError, newClientOrderId, OrderSide } from '../../domain/index.ts';
import type { Order } from '../../domain/index.ts';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { Logger } from '../../observability/index.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorDefinition } from '../kernel/index.ts';
import { RollingCount, STRATEGY_RESTARTS, supervisedTick } from '../strategy/index.ts';
import type { StrategyHealth, StrategyPorts } from '../strategy/index.ts';
import { parseArbitrageConfig } from './arbitrage-config.ts';
import type { ArbitrageConfig, ArbitrageLeg } from './arbitrage-config.ts';
import type { ArbitrageMetrics } from './arbitrage-metrics.ts';
import type { ArbitrageCommand } from './arbitrage-messages.ts';
import { bestOpportunity } from './arbitrage-spread.ts';
import type { Opportunity, VenueQuote } from './arbitrage-spread.ts';

export const ARBITRAGE_KIND = 'arbitrage';

interface ArbitrageState {
  readonly identity: string;
  readonly logger: Logger;
  readonly actions: RollingCount;
  detections: number;
  executions: number;
}

export interface ArbitrageDeps {
  readonly ports: StrategyPorts;
  readonly health: StrategyHealth;
  readonly metrics: ArbitrageMetrics;
  readonly clock?: () => number;
}

function level(side: readonly [string, string] | undefined, field: string) {
  return side === undefined
    ? undefined
    : {
        price: Price.parse(side[0], `${field}.price`),
        quantity: Quantity.parse(side[1], `${field}.quantity`),
      };
}

/**
 * `arbitrage/<id>`, the demo cross-venue arbitrage detector. Each tick (from the node's strategy
 * driver, carrying the config) it reads the top of the same asset's book on every configured
 * venue, finds the best buy-here/sell-there pair whose spread beats both taker fees by
 * `minNetBps`, counts and logs the detection, and — within `maxActionsPerMinute` and
 * `maxQuantity` per leg — sends both legs as IOC limit orders at the seen prices through each
 * venue's `orders/<accountId>`. A leg that does not fill is logged and counted (no unwinding yet).
 */
export function arbitrageActor(deps: ArbitrageDeps): ActorDefinition<ArbitrageState, ArbitrageCommand> {
  const clock = deps.clock ?? Date.now;
  const { ports, metrics, health } = deps;

  async function quotes(config: ArbitrageConfig): Promise<VenueQuote[]> {
    const tops = await Promise.allSettled(config.legs.map((leg) => ports.top(leg.book)));
    return config.legs.flatMap((leg, i) => {
      const top = tops[i];
      if (top === undefined || top.status === 'rejected' || top.value.status !== 'synced') return [];
      const bid = level(top.value.bid, `${leg.book}.bid`);
      const ask = level(top.value.ask, `${leg.book}.ask`);
      return [
        {
          venue: leg.venue,
          instrumentId: leg.instrumentId,
          ...(bid === undefined ? {} : { bid }),
          ...(ask === undefined ? {} : { ask }),
          takerFee: leg.takerFee,
          step: leg.step,
          ...(leg.minNotional === undefined ? {} : { minNotional: leg.minNotional }),
        },
      ];
    });
  }

  async function leg(
    state: ArbitrageState,
    target: ArbitrageLeg,
    side: OrderSide,
    price: Price,
    quantity: Quantity,
  ): Promise<Order | undefined> {
    try {
      const order = await ports.place(target.accountId, {
        clientOrderId: newClientOrderId(),
        instrumentId: target.instrumentId,
        side,
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: quantity.toString(),
        price: price.toString(),
      });
      metrics.legs.inc({ venue: target.venue, outcome: order.status === 'REJECTED' ? 'rejected' : 'sent' });
      return order;
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      metrics.legs.inc({ venue: target.venue, outcome: error.code.toLowerCase() });
      state.logger.warn({ err: error, venue: target.venue, side }, 'arbitrage leg refused');
      return undefined;
    }
  }

  async function act(state: ArbitrageState, config: ArbitrageConfig, o: Opportunity): Promise<void> {
    const buyLeg = config.legs.find((l) => l.venue === o.buy.venue);
    const sellLeg = config.legs.find((l) => l.venue === o.sell.venue);
    if (buyLeg === undefined || sellLeg === undefined) return;
    const [bought, sold] = await Promise.all([
      leg(state, buyLeg, OrderSide.BUY, o.buyPrice, o.quantity),
      leg(state, sellLeg, OrderSide.SELL, o.sellPrice, o.quantity),
    ]);
    state.executions += 1;
    metrics.executions.inc({ pair: `${o.buy.venue}>${o.sell.venue}` });
    state.logger.info(
      {
        buy: { venue: o.buy.venue, orderId: bought?.clientOrderId, status: bought?.status },
        sell: { venue: o.sell.venue, orderId: sold?.clientOrderId, status: sold?.status },
        quantity: o.quantity.toString(),
      },
      'arbitrage legs sent',
    );
  }

  async function tick(state: ArbitrageState, config: ArbitrageConfig): Promise<void> {
    const seen = await quotes(config);
    const o = bestOpportunity(seen, { maxQuantity: config.maxQuantity, minNetBps: config.minNetBps });
    if (o === undefined) {
      health.report(
        state.identity,
        `watching ${seen.length}/${config.legs.length} venues; ${state.detections} detections, ${state.executions} executions`,
      );
      return;
    }
    state.detections += 1;
    metrics.detections.inc({ pair: `${o.buy.venue}>${o.sell.venue}` });
    const acting = state.actions.tryTake(clock());
    // A detection the action budget lets pass is worth a line; one it holds back (the same spread,
    // seen again each tick until the books move) is counted (skipped{reason="rate-limit"}) and
    // logged at debug, or the log would repeat it every tick.
    (acting ? state.logger.info : state.logger.debug).call(
      state.logger,
      {
        buy: o.buy.venue,
        buyPrice: o.buyPrice.toString(),
        sell: o.sell.venue,
        sellPrice: o.sellPrice.toString(),
        quantity: o.quantity.toString(),
        netPerUnit: o.netPerUnit.toString(),
        feesPerUnit: o.feesPerUnit.toString(),
        acting,
      },
      'arbitrage opportunity',
    );
    if (acting) await act(state, config, o);
    else metrics.skipped.inc({ reason: 'rate-limit' });
    health.report(state.identity, `${state.detections} detections, ${state.executions} executions`);
  }

  return defineActor<ArbitrageState, ArbitrageCommand>({
    kind: ARBITRAGE_KIND,
    supervision: { intensity: STRATEGY_RESTARTS, backoff: { initialMs: 500, maxMs: 5_000 } },
    initialState: (_key, ctx) => ({
      identity: ctx.identity,
      logger: ctx.logger,
      actions: new RollingCount(60_000, 1),
      detections: 0,
      executions: 0,
    }),
    receive: (state, message) =>
      supervisedTick(
        state,
        health,
        (code) => metrics.skipped.inc({ reason: code.toLowerCase() }),
        async () => {
          const config = parseArbitrageConfig(message.config);
          state.actions.setLimit(config.maxActionsPerMinute);
          await tick(state, config);
        },
      ),
  });
}
