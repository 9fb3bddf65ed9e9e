// A paper venue, a PostgreSQL journal and an order manager, for the trading integration tests.
import { afterAll, beforeAll } from 'vitest';
import { createActorSystem, incrementingEpochs } from '../../../actors/index.ts';
import type { ActorRef, ActorSystem } from '../../../actors/index.ts';
import { connectorVenueAccess, orderManagerKind, OrdersRequest } from '../../../actors/orders/index.ts';
import type {
  OrderManagerKind,
  OrdersCommand,
  PlaceOrderRequest,
  ReconcileReport,
  VenueEndpoint,
} from '../../../actors/orders/index.ts';
import {
  FixedDecimal,
  Money,
  Price,
  Quantity,
  createInstrument,
  emptyRiskLimits,
  newOrderId,
  parseAccountId,
} from '../../../domain/index.ts';
import type { AccountId, Order, OrderRequest, PortfolioFill, RiskLimits } from '../../../domain/index.ts';
import { MetricsRegistry, createLogger } from '../../../observability/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { MatchingEngine } from '../../../venues/paper/index.ts';
import { PaperConnector } from '../../../venues/paper/paper-connector.ts';
import type { PlacementResult } from '../../../venues/venue-connector.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { pgRecentOrderFills } from '../../../actors/orders/journaled-order-fills.ts';

export const BTC = createInstrument({
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

export const OUR_ACCOUNT = 'ours';
const THEIR_ACCOUNT = 'counterparty';

/** How placements reach the venue: normally, or lost on the way (before or after the venue saw them). */
export type PlacementMode = 'normal' | 'lost-before-venue' | 'lost-after-venue';

/** The paper connector behind a switch that can swallow a placement's request or its answer. */
export class SwitchableEndpoint implements VenueEndpoint {
  mode: PlacementMode = 'normal';
  readonly venue;
  readonly capabilities;
  constructor(private readonly inner: PaperConnector) {
    this.venue = inner.venue;
    this.capabilities = inner.capabilities;
  }
  instruments = () => this.inner.instruments();
  placeOrder(request: OrderRequest): Promise<PlacementResult> {
    if (this.mode === 'lost-before-venue') return new Promise(() => undefined);
    const result = this.inner.placeOrder(request);
    if (this.mode === 'lost-after-venue') return new Promise(() => undefined);
    return result;
  }
  cancelOrder: VenueEndpoint['cancelOrder'] = (ref) => this.inner.cancelOrder(ref);
  getOrder: VenueEndpoint['getOrder'] = (ref) => this.inner.getOrder(ref);
  openOrders: VenueEndpoint['openOrders'] = (id) => this.inner.openOrders(id);
  orderFills: VenueEndpoint['orderFills'] = (ref) => this.inner.orderFills(ref);
  onExecution: VenueEndpoint['onExecution'] = (listener) => this.inner.onExecution(listener);
}

export interface Venue {
  readonly engine: MatchingEngine;
  readonly connector: PaperConnector;
  readonly endpoint: SwitchableEndpoint;
  /** Another account on the same engine, to trade against our orders. */
  readonly counterparty: PaperConnector;
}

export async function paperVenue(): Promise<Venue> {
  let time = 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [BTC],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => time++,
    seed: 7,
  });
  engine.deposit(OUR_ACCOUNT, 'USD', '1000000');
  engine.deposit(OUR_ACCOUNT, 'BTC', '100');
  engine.deposit(THEIR_ACCOUNT, 'USD', '1000000');
  engine.deposit(THEIR_ACCOUNT, 'BTC', '100');
  const logger = createLogger({ level: 'silent' });
  const connector = new PaperConnector({ engine, instruments: [BTC], accountId: OUR_ACCOUNT, logger });
  const counterparty = new PaperConnector({ engine, instruments: [BTC], accountId: THEIR_ACCOUNT, logger });
  await connector.start();
  await counterparty.start();
  return { engine, connector, counterparty, endpoint: new SwitchableEndpoint(connector) };
}

/** The counterparty trades `quantity` against us at `price` (it crosses our resting order). */
export async function trade(
  venue: Venue,
  side: 'BUY' | 'SELL',
  quantity: string,
  price: string,
  id: string,
): Promise<void> {
  const result = await venue.counterparty.placeOrder({
    id: newOrderId(),
    clientOrderId: id as OrderRequest['clientOrderId'],
    accountId: parseAccountId('1b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    instrumentId: BTC.id,
    side,
    type: 'LIMIT',
    timeInForce: 'IOC',
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
    createdAt: 0,
  });
  if (result.kind !== 'accepted') throw new Error(`counterparty order refused: ${result.reason}`);
}

export interface Trader {
  readonly system: ActorSystem;
  readonly kind: OrderManagerKind;
  readonly ref: ActorRef<OrdersCommand>;
  readonly metrics: MetricsRegistry;
  readonly fills: PortfolioFill[];
  place(request: Partial<PlaceOrderRequest> & Pick<PlaceOrderRequest, 'clientOrderId'>): Promise<Order>;
  cancel(clientOrderId: string): Promise<Order>;
  get(clientOrderId: string): Promise<Order | undefined>;
  list(): Promise<readonly Order[]>;
  reconcile(): Promise<ReconcileReport>;
  stop(): Promise<void>;
}

let systems = 0;

export interface TraderOptions {
  readonly limits?: RiskLimits;
  readonly unknownOrders?: 'adopt' | 'cancel';
  readonly ackTimeoutMs?: number;
  /** Where an activation reads the fills it re-publishes: the journal (default, as a node) or the venue. */
  readonly replayFrom?: 'journal' | 'venue';
}

/** A fresh actor system (a "process") with an order manager for `account` over `venue`. */
export function startTrader(
  database: TestDatabase,
  venue: Venue,
  account: AccountId,
  options: TraderOptions = {},
): Trader {
  systems += 1;
  const metrics = new MetricsRegistry();
  const system = createActorSystem({
    name: `trading-${process.pid}-${systems}`,
    logger: testLogger('trading'),
    metrics,
    persistence: { pool: database.pool, epochs: incrementingEpochs('trading-node') },
  });
  const fills: PortfolioFill[] = [];
  const kind = orderManagerKind({
    venues: connectorVenueAccess([venue.endpoint]),
    risk: {
      limits: () => options.limits ?? emptyRiskLimits(),
      clusterKillSwitch: () => false,
      mid: () => Price.parse('100.00'),
      balance: () => FixedDecimal.parse('1000000'),
    },
    metrics,
    ackTimeoutMs: options.ackTimeoutMs ?? 200,
    reconcileEveryMs: 0,
    unknownOrders: options.unknownOrders ?? 'adopt',
    onFill: (_account, fill) => fills.push(fill),
    snapshotEvery: 5,
    ...(options.replayFrom === 'venue' ? {} : { recentFills: pgRecentOrderFills(database.pool) }),
  });
  const ref = system.spawn(kind.definition, account);
  // Activation recovers from the journal; the first message subscribes to the venue and reconciles.
  system.send(ref, { type: 'reconcile', trigger: 'recovery' });
  const timeoutMs = 5_000;
  return {
    system,
    kind,
    ref,
    metrics,
    fills,
    place: (request) =>
      system.request(
        ref,
        OrdersRequest.place({
          instrumentId: BTC.id,
          side: 'BUY',
          type: 'LIMIT',
          quantity: '1',
          // A market order takes no price.
          ...(request.type === 'MARKET' ? {} : { price: '100.00' }),
          ...request,
        }),
        { timeoutMs },
      ),
    cancel: (clientOrderId) => system.request(ref, OrdersRequest.cancel(clientOrderId), { timeoutMs }),
    get: (clientOrderId) => system.request(ref, OrdersRequest.get(clientOrderId), { timeoutMs }),
    list: () => system.request(ref, OrdersRequest.list(), { timeoutMs }),
    reconcile: () => system.request(ref, OrdersRequest.reconcile(), { timeoutMs }),
    stop: async () => {
      kind.dispose();
      await system.shutdown();
    },
  };
}

export async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
  return database;
}

/** Journal rows of one identity, for "nothing was persisted" checks. */
export async function journalLength(database: TestDatabase, account: AccountId): Promise<number> {
  const result = await database.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM actor_journal WHERE identity = $1',
    [`orders/${account}`],
  );
  return Number(result.rows[0]?.n ?? '0');
}

/** A test file's migrated database and the traders its tests start: stopped and dropped after them. */
export interface TraderSuite {
  /** The database, made in `beforeAll`. */
  database(): TestDatabase;
  /** Traders pushed here are stopped after the file's tests. */
  readonly traders: Trader[];
}

/** Registers the file's `beforeAll`/`afterAll` for a TraderSuite (call at the top level of a test file). */
export function useTraderSuite(): TraderSuite {
  let database: TestDatabase | undefined;
  const traders: Trader[] = [];
  beforeAll(async () => {
    database = await migratedDatabase();
  });
  afterAll(async () => {
    for (const trader of traders) await trader.stop();
    await database?.drop();
  });
  return {
    traders,
    database: () => {
      if (database === undefined)
        throw new Error('the suite database is made in beforeAll; ask for it in a test');
      return database;
    },
  };
}
