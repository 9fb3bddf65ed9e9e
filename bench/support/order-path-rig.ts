// Order managers over a real journal and a venue that acknowledges, for the order-path benches.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createActorSystem } from '../../actors/index.ts';
import type { ActorRef, ActorSystem } from '../../actors/index.ts';
import { incrementingEpochs } from '../../actors/kernel/persistence/index.ts';
import type { JournalGroupCommit } from '../../actors/kernel/persistence/index.ts';
import { OrdersRequest, connectorVenueAccess, orderManagerKind } from '../../actors/orders/index.ts';
import type { OrderManagerKind, OrdersCommand, VenueEndpoint } from '../../actors/orders/index.ts';
import {
  FixedDecimal,
  Money,
  Price,
  Quantity,
  createInstrument,
  emptyRiskLimits,
  parseAccountId,
  updateRiskLimits,
} from '../../domain/index.ts';
import type { AccountId, Instrument, InstrumentId, Order, RiskLimits } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import { MatchingEngine, PaperConnector } from '../../venues/paper/index.ts';
import type { AnsweredOrders } from './intent-check.ts';

/** One account's order manager in its own actor system, as a node would host it. */
export interface BenchTrader {
  readonly accountId: AccountId;
  readonly system: ActorSystem;
  readonly kind: OrderManagerKind;
  readonly ref: ActorRef<OrdersCommand>;
}

export interface TraderSettings {
  readonly pool: pg.Pool;
  readonly groupCommit: JournalGroupCommit | undefined;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly venue: VenueEndpoint;
  /** Mid the price-band check compares with. */
  readonly mid: Price;
  readonly instrument: Instrument;
  /** Pipelined journal writes in the order manager (a node's default); false: one append per command. */
  readonly pipelined?: boolean;
}

let systems = 0;

/** Every pre-trade check switched on, with limits the bench's orders stay within. */
export function benchRiskLimits(instrument: Instrument): RiskLimits {
  return updateRiskLimits(emptyRiskLimits(), {
    maxOrderNotional: { [instrument.quoteAsset]: '1000000' },
    maxPosition: { [instrument.id]: '1000' },
    maxVenuePosition: { [instrument.venue]: { [instrument.baseAsset]: '2000' } },
    maxOpenOrders: 10_000,
    orderRate: { burst: 1_000_000, perSecond: 1_000_000 },
    priceBandBps: 2_000,
  });
}

/** Starts `orders/<accountId>` with the node's risk path in front of the venue. */
export function startTrader(settings: TraderSettings, accountId: AccountId = newAccountId()): BenchTrader {
  systems += 1;
  const system = createActorSystem({
    name: `bench-orders-${process.pid}-${systems}`,
    logger: settings.logger,
    metrics: settings.metrics,
    persistence: {
      pool: settings.pool,
      epochs: incrementingEpochs('bench-node'),
      ...(settings.groupCommit === undefined ? {} : { groupCommit: settings.groupCommit }),
    },
  });
  const limits = benchRiskLimits(settings.instrument);
  const kind = orderManagerKind({
    venues: connectorVenueAccess([settings.venue]),
    risk: {
      limits: () => limits,
      clusterKillSwitch: () => false,
      mid: () => settings.mid,
      balance: () => FixedDecimal.parse('1000000000'),
    },
    metrics: settings.metrics,
    reconcileEveryMs: 0,
    ...(settings.pipelined === false ? { pipelinedJournal: false } : {}),
  });
  const ref = system.spawn(kind.definition, accountId);
  return { accountId, system, kind, ref };
}

export async function stopTrader(trader: BenchTrader): Promise<void> {
  trader.kind.dispose();
  await trader.system.shutdown();
}

/** A limit IOC order that does not cross: the venue acknowledges it and it expires there. */
export function placeIoc(
  answered: AnsweredOrders,
  trader: BenchTrader,
  instrumentId: InstrumentId,
  clientOrderId: string,
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
): Promise<Order> {
  return trader.system
    .request(
      trader.ref,
      OrdersRequest.place({
        clientOrderId,
        instrumentId,
        side,
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity,
        price,
      }),
      { timeoutMs: 30_000 },
    )
    .then((order) => answered.add(order));
}

export function newAccountId(): AccountId {
  return parseAccountId(randomUUID());
}

export const PAPER_BTC = createInstrument({
  venue: 'paper',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('1', 'USD'),
});

/** The paper venue: one matching engine; each account trades through its own connector. */
export class PaperVenue {
  readonly engine = new MatchingEngine({
    instruments: [PAPER_BTC],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => Date.now(),
  });
  readonly #connectors: PaperConnector[] = [];

  constructor(private readonly logger: Logger) {}

  /** A funded engine account and its connector, started. */
  async connector(): Promise<PaperConnector> {
    const account = `bench-${this.#connectors.length + 1}`;
    this.engine.deposit(account, 'USD', '1000000000');
    this.engine.deposit(account, 'BTC', '1000000');
    const connector = new PaperConnector({
      engine: this.engine,
      instruments: [PAPER_BTC],
      accountId: account,
      logger: this.logger,
    });
    await connector.start();
    this.#connectors.push(connector);
    return connector;
  }

  async close(): Promise<void> {
    await Promise.all(this.#connectors.map((c) => c.close()));
  }
}
