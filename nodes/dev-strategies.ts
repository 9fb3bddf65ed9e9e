import { ARBITRAGE_COMMAND_TYPES, arbitrageActor, arbitrageMetrics } from '../actors/arbitrage/index.ts';
import type { ArbitrageCommand, ArbitrageConfigWire } from '../actors/arbitrage/index.ts';
import {
  STRATEGY_COMMAND_TYPES,
  StrategyHealth,
  marketMakerActor,
  strategyMetrics,
} from '../actors/strategy/index.ts';
import type {
  MarketMakerConfigWire,
  StrategyCommand,
  StrategyPorts,
  StrategyStatus,
  StrategyStopped,
} from '../actors/strategy/index.ts';
import type { BookCommand, TopOfBookWire } from '../actors/book/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import { ActorKind, defaultKindRegistry, jsonMessageCodec } from '../cluster/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import type { DemoAccount } from './dev-accounts.ts';
import type { DevMarket } from './dev-venues.ts';
import { cancelAllOrders, cancelOrder, getOrder, placeOrder } from './trading.ts';
import { OrdersRequest } from '../actors/orders/index.ts';

/** What the driver ticks: each strategy's identity and config. */
export interface StrategyPlan {
  readonly marketMakers: readonly { readonly identity: string; readonly config: MarketMakerConfigWire }[];
  readonly arbitrage: readonly { readonly identity: string; readonly config: ArbitrageConfigWire }[];
}

export interface StrategyHostOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Period of the strategies' ticks. Default 1 s. */
  readonly tickMs?: number;
}

/** The strategies of a node: their kinds, their health, and the driver that ticks them. */
export interface StrategyHost {
  readonly health: StrategyHealth;
  /** Registers `strategy` and `arbitrage` on the node (before it starts; every node should). */
  register(cluster: ClusterNode): void;
  /** Starts ticking the plan's strategies wherever placement puts them. */
  start(cluster: ClusterNode, plan: StrategyPlan): void;
  statuses(): StrategyStatus[];
  /**
   * Stops ticking, then has every market maker cancel its open quotes and wait for the venue to
   * confirm (each within `timeoutMs`, default 5 s): a node stopped with Ctrl-C leaves no quote
   * resting on a venue, and its next start finds nothing to reconcile. Failures are logged per
   * strategy; it resolves once every strategy answered or timed out. The actors themselves stop
   * with the cluster.
   */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * StrategyPorts over the cluster with the node's trading helpers. Short timeouts and few retries:
 * a strategy tick should not wait long; the next tick tries again.
 */
export function clusterStrategyPorts(cluster: ClusterNode, timeoutMs = 3_000): StrategyPorts {
  const call = { timeoutMs, retries: 2 };
  return {
    place: (accountId, request) => placeOrder(cluster, accountId, request, call),
    cancelReplace: (accountId, clientOrderId, replacement) =>
      cluster.request(`orders/${accountId}`, OrdersRequest.cancelReplace(clientOrderId, replacement), {
        timeoutMs,
      }),
    cancel: (accountId, clientOrderId) => cancelOrder(cluster, accountId, clientOrderId, call),
    cancelAll: (accountId, instrumentId) => cancelAllOrders(cluster, accountId, instrumentId, call),
    get: (accountId, clientOrderId) => getOrder(cluster, accountId, clientOrderId, call),
    top: (book) =>
      cluster.request<TopOfBookWire, BookCommand>(book, (replyTo) => ({ type: 'get-top', replyTo }), {
        timeoutMs,
      }),
  };
}

export function createStrategyHost(options: StrategyHostOptions): StrategyHost {
  const health = new StrategyHealth(options.metrics);
  const sendErrors = options.metrics.counter({
    name: 'ninja_strategy_tick_send_errors_total',
    help: 'Strategy ticks the driver could not send (no member hosts the kind, bad identity)',
  });
  let timer: NodeJS.Timeout | undefined;
  let running: { cluster: ClusterNode; plan: StrategyPlan } | undefined;
  return {
    health,
    register: (cluster) => {
      const kinds = defaultKindRegistry();
      const ports = clusterStrategyPorts(cluster);
      cluster.register({
        kind: kinds.require(ActorKind.strategy),
        actor: marketMakerActor({ ports, health, metrics: strategyMetrics(options.metrics) }),
        codec: jsonMessageCodec<StrategyCommand>({ types: STRATEGY_COMMAND_TYPES }),
      });
      cluster.register({
        kind: kinds.require(ActorKind.arbitrage),
        actor: arbitrageActor({ ports, health, metrics: arbitrageMetrics(options.metrics) }),
        codec: jsonMessageCodec<ArbitrageCommand>({ types: ARBITRAGE_COMMAND_TYPES }),
      });
    },
    start: (cluster, plan) => {
      running = { cluster, plan };
      const ticks: { identity: string; message: StrategyCommand | ArbitrageCommand }[] = [
        ...plan.marketMakers.map((s) => ({
          identity: s.identity,
          message: { type: 'strategy-tick', config: s.config } as const,
        })),
        ...plan.arbitrage.map((s) => ({
          identity: s.identity,
          message: { type: 'arbitrage-tick', config: s.config } as const,
        })),
      ];
      for (const t of ticks) health.declare(t.identity);
      const tick = (): void => {
        for (const t of ticks) {
          if (health.isFailed(t.identity)) continue;
          try {
            cluster.send(t.identity, t.message);
          } catch (error) {
            sendErrors.inc();
            options.logger.warn({ err: error, identity: t.identity }, 'strategy tick not sent');
          }
        }
      };
      timer = setInterval(tick, options.tickMs ?? 1_000);
      timer.unref();
      const instruments = new Set([
        ...plan.marketMakers.map((s) => s.config.instrumentId),
        ...plan.arbitrage.flatMap((s) => s.config.legs.map((leg) => leg.instrumentId)),
      ]);
      options.logger.info(
        { strategies: ticks.map((t) => t.identity), instruments: [...instruments] },
        'demo strategies started',
      );
    },
    statuses: () => health.all(),
    stop: async (timeoutMs = 5_000) => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (running === undefined) return;
      const { cluster, plan } = running;
      running = undefined;
      let cancelled = 0;
      const stillOpen: string[] = [];
      const failed: string[] = [];
      await Promise.all(
        plan.marketMakers.map(async (s) => {
          try {
            const stopped = await cluster.request<StrategyStopped, StrategyCommand>(
              s.identity,
              (replyTo) => ({ type: 'strategy-stop', config: s.config, replyTo }),
              { timeoutMs },
            );
            cancelled += stopped.cancelled;
            stillOpen.push(...stopped.stillOpen);
          } catch (error) {
            failed.push(s.identity);
            options.logger.warn(
              { err: error, identity: s.identity },
              'strategy stopped without cancelling its quotes',
            );
          }
        }),
      );
      const summary = { strategies: plan.marketMakers.length, cancelled, stillOpen, failed };
      if (stillOpen.length > 0 || failed.length > 0)
        options.logger.warn(summary, 'demo strategies stopped; some quotes may still rest on their venues');
      else options.logger.info(summary, 'demo strategies stopped; their quotes cancelled');
    },
  };
}

/** Tick, step and minimum order value of each development market (the simulators' and the paper venue's filters). */
const FILTERS: Readonly<
  Record<string, { tick: string; step: string; minNotional: string; size: string; maxPosition: string }>
> = {
  'binanceus/BTCUSD': { tick: '0.01', step: '0.000001', minNotional: '10', size: '0.01', maxPosition: '0.1' },
  'binanceus/ETHUSD': { tick: '0.01', step: '0.00001', minNotional: '10', size: '0.1', maxPosition: '1' },
  'coinbase/BTC-USD': {
    tick: '0.01',
    step: '0.00000001',
    minNotional: '1',
    size: '0.01',
    maxPosition: '0.1',
  },
  'coinbase/ETH-USD': { tick: '0.01', step: '0.00000001', minNotional: '1', size: '0.1', maxPosition: '1' },
  'oanda/EUR_USD': { tick: '0.00001', step: '1', minNotional: '0', size: '1000', maxPosition: '10000' },
  'paper/BTC-USD': { tick: '0.01', step: '0.0001', minNotional: '1', size: '0.01', maxPosition: '0.1' },
  'paper/ETH-USD': { tick: '0.01', step: '0.001', minNotional: '1', size: '0.1', maxPosition: '1' },
  'paper/EUR-USD': { tick: '0.00001', step: '1', minNotional: '1', size: '1000', maxPosition: '10000' },
  'paper/SOL-USD': { tick: '0.01', step: '0.01', minNotional: '1', size: '1', maxPosition: '5' },
  'paper/LTC-USD': { tick: '0.01', step: '0.001', minNotional: '1', size: '1', maxPosition: '5' },
};

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The demo: a market maker on every development market, and an arbitrage detector per crypto
 * asset across the venues that list it (BTC and ETH on Binance.US, Coinbase and paper).
 */
export function demoPlan(markets: readonly DevMarket[], accounts: readonly DemoAccount[]): StrategyPlan {
  const accountOf = new Map(accounts.map((a) => [a.venue, a.accountId]));
  const tradable = markets.flatMap((m) => {
    const accountId = accountOf.get(m.venue);
    const filters = FILTERS[`${m.venue}/${m.symbol}`];
    return accountId === undefined || filters === undefined ? [] : [{ market: m, accountId, filters }];
  });
  const marketMakers = tradable.map(({ market, accountId, filters }) => ({
    identity: `strategy/mm-${slug(market.venue)}-${slug(market.symbol)}`,
    config: {
      accountId,
      book: market.book,
      instrumentId: market.instrumentId,
      halfSpreadBps: 5,
      skewBpsAtLimit: 10,
      requoteThresholdBps: 3,
      quoteSize: filters.size,
      maxPosition: filters.maxPosition,
      tick: filters.tick,
      step: filters.step,
      minNotional: filters.minNotional,
      maxOrdersPerMinute: 30,
    },
  }));
  const arbitrage = ['BTC', 'ETH'].flatMap((asset) => {
    const legs = tradable
      .filter(({ market }) => market.base === asset)
      .map(({ market, accountId, filters }) => ({
        venue: market.venue,
        accountId,
        book: market.book,
        instrumentId: market.instrumentId,
        takerFee: market.takerFee,
        step: filters.step,
        minNotional: filters.minNotional,
      }));
    if (legs.length < 2) return [];
    return [
      {
        identity: `arbitrage/${slug(asset)}-usd`,
        config: { legs, minNetBps: 2, maxQuantity: asset === 'BTC' ? '0.01' : '0.1', maxActionsPerMinute: 6 },
      },
    ];
  });
  return { marketMakers, arbitrage };
}
