// Issue 6: "a repeated request with the same client order id returns the existing order, never a
// second one" — also once the order has left the manager's memory (order history, migration 0004).
// Order managers keep 2 finished orders here, so archiving and eviction happen within a few orders;
// restarts are new actor systems over the same PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorSystem, incrementingEpochs } from '../../../actors/index.ts';
import { connectorVenueAccess, orderManagerKind, OrdersRequest } from '../../../actors/orders/index.ts';
import type { PlaceOrderRequest } from '../../../actors/orders/index.ts';
import { pgOrderHistoryStore } from '../../../actors/orders/order-history-store.ts';
import type { OrderHistoryStore } from '../../../actors/orders/order-history-store.ts';
import {
  FixedDecimal,
  Price,
  UnavailableError,
  emptyRiskLimits,
  parseAccountId,
} from '../../../domain/index.ts';
import type { AccountId, Order } from '../../../domain/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger, waitFor } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { BTC, migratedDatabase, paperVenue } from './trading-harness.ts';
import type { Venue } from './trading-harness.ts';

let database: TestDatabase;
const stops: (() => Promise<void>)[] = [];
let systems = 0;

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await database.drop();
});

interface Manager {
  place(clientOrderId: string, overrides?: Partial<PlaceOrderRequest>): Promise<Order>;
  get(clientOrderId: string): Promise<Order | undefined>;
  cancel(clientOrderId: string): Promise<Order>;
  list(): Promise<readonly Order[]>;
  stop(): Promise<void>;
}

function startManager(venue: Venue, account: AccountId, store: OrderHistoryStore): Manager {
  systems += 1;
  const metrics = new MetricsRegistry();
  const system = createActorSystem({
    name: `history-${process.pid}-${systems}`,
    logger: testLogger('order-history'),
    metrics,
    persistence: { pool: database.pool, epochs: incrementingEpochs('history-node') },
  });
  const kind = orderManagerKind({
    venues: connectorVenueAccess([venue.endpoint]),
    risk: {
      limits: () => emptyRiskLimits(),
      clusterKillSwitch: () => false,
      mid: () => Price.parse('100.00'),
      balance: () => FixedDecimal.parse('1000000'),
    },
    metrics,
    reconcileEveryMs: 0,
    retainFinishedOrders: 2,
    history: store,
    snapshotEvery: 7,
  });
  const ref = system.spawn(kind.definition, account);
  system.send(ref, { type: 'reconcile', trigger: 'recovery' });
  const timeoutMs = 5_000;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    kind.dispose();
    await system.shutdown();
  };
  stops.push(stop);
  return {
    // IOC below the book: acknowledged, then expired at once (finished).
    place: (clientOrderId, overrides = {}) =>
      system.request(
        ref,
        OrdersRequest.place({
          clientOrderId,
          instrumentId: BTC.id,
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'IOC',
          quantity: '0.0200',
          price: '90.00',
          ...overrides,
        }),
        { timeoutMs },
      ),
    get: (clientOrderId) => system.request(ref, OrdersRequest.get(clientOrderId), { timeoutMs }),
    cancel: (clientOrderId) => system.request(ref, OrdersRequest.cancel(clientOrderId), { timeoutMs }),
    list: () => system.request(ref, OrdersRequest.list(), { timeoutMs }),
    stop,
  };
}

async function archivedIds(account: AccountId): Promise<string[]> {
  const result = await database.pool.query<{ client_order_id: string }>(
    'SELECT client_order_id FROM order_history WHERE account_id = $1 ORDER BY client_order_id',
    [account],
  );
  return result.rows.map((row) => row.client_order_id);
}

/** Intents in the journal per client order id: one each, or an order was made twice. */
async function intentsPerOrder(account: AccountId): Promise<Map<string, number>> {
  const result = await database.pool.query<{ payload: Buffer }>(
    "SELECT payload FROM actor_journal WHERE identity = $1 AND event_type = 'intent'",
    [`orders/${account}`],
  );
  const counts = new Map<string, number>();
  for (const row of result.rows) {
    const event = JSON.parse(row.payload.toString('utf8')) as {
      tracked: { order: { clientOrderId: string } };
    };
    const cid = event.tracked.order.clientOrderId;
    counts.set(cid, (counts.get(cid) ?? 0) + 1);
  }
  return counts;
}

const sent = new WeakMap<Venue, { count: number }>();

/** Placements the venue endpoint was asked for (counted from the first call). */
function sentTo(venue: Venue): { count: number } {
  let counter = sent.get(venue);
  if (counter === undefined) {
    const counted = { count: 0 };
    const inner = venue.endpoint.placeOrder.bind(venue.endpoint);
    venue.endpoint.placeOrder = (request) => {
      counted.count += 1;
      return inner(request);
    };
    sent.set(venue, counted);
    counter = counted;
  }
  return counter;
}

let accounts = 0;
function newAccount(): AccountId {
  accounts += 1;
  return parseAccountId(`00000000-0000-4000-9000-${String(accounts).padStart(12, '0')}`);
}

const finished = (order: Order | undefined) =>
  order !== undefined && ['EXPIRED', 'FILLED', 'CANCELLED'].includes(order.status);

describe('order history: client order id idempotency beyond the in-memory window', () => {
  it('archives finished orders before they leave memory; a repeat returns the archived order, never a second one', async () => {
    const venue = await paperVenue();
    const account = newAccount();
    const store = pgOrderHistoryStore(database.pool);
    sentTo(venue);
    const manager = startManager(venue, account, store);
    const first: Order[] = [];
    for (let i = 0; i < 10; i += 1) {
      const order = await manager.place(`h-${i}`);
      first.push(order);
      await waitFor(async () => finished(await manager.get(`h-${i}`)), 5_000, `h-${i} finished`);
    }
    // Archiving is checked on each message the manager handles (before it): each poll is one.
    await waitFor(
      async () => (await manager.list()) !== undefined && (await archivedIds(account)).length >= 8,
      5_000,
      'the oldest finished orders archived',
    );
    await waitFor(
      async () => (await manager.list()).length <= 4,
      5_000,
      'archived orders evicted from memory',
    );
    expect((await manager.list()).some((o) => o.clientOrderId === 'h-0')).toBe(false);

    const sentBefore = sentTo(venue).count;
    // Repeats of an evicted order, concurrently and with a different request: the same order.
    const repeats = await Promise.all([
      manager.place('h-0'),
      manager.place('h-0', { quantity: '0.0300' }),
      manager.place('h-1'),
    ]);
    expect(repeats.map((o) => o.id)).toEqual([first[0]?.id, first[0]?.id, first[1]?.id]);
    expect(repeats[0]?.status).toBe('EXPIRED');
    expect(sentTo(venue).count).toBe(sentBefore);
    // GetOrder and cancel see it too.
    expect((await manager.get('h-0'))?.id).toBe(first[0]?.id);
    expect((await manager.cancel('h-2')).status).toBe('EXPIRED');
    // A new id is a new order.
    const fresh = await manager.place('h-new');
    expect(fresh.id).not.toBe(first[0]?.id);
    for (const [cid, count] of await intentsPerOrder(account)) expect([cid, count]).toEqual([cid, 1]);
    expect(await manager.get('never-placed')).toBeUndefined();
  });

  it('after a restart the filter is rebuilt from the table: repeats of archived orders are still found', async () => {
    const venue = await paperVenue();
    const account = newAccount();
    const store = pgOrderHistoryStore(database.pool);
    const before = startManager(venue, account, store);
    const placed = new Map<string, string>();
    for (let i = 0; i < 8; i += 1) {
      const order = await before.place(`r-${i}`);
      placed.set(order.clientOrderId, order.id);
      await waitFor(async () => finished(await before.get(`r-${i}`)), 5_000, `r-${i} finished`);
    }
    await waitFor(
      async () => (await before.list()) !== undefined && (await archivedIds(account)).length >= 6,
      5_000,
      'archived',
    );
    await waitFor(async () => (await before.list()).length <= 3, 5_000, 'evicted');
    await before.stop();

    const after = startManager(venue, account, store);
    const repeats = await Promise.all([...placed.keys()].map((cid) => after.place(cid)));
    expect(repeats.map((o) => o.id)).toEqual([...placed.values()]);
    for (const [cid, count] of await intentsPerOrder(account)) expect([cid, count]).toEqual([cid, 1]);
    // Once the filter is loaded, new ids pass without a read (and are new orders).
    const fresh = await after.place('r-new');
    expect(fresh.id).not.toBe(placed.get('r-0'));
  });

  it('a history that cannot be read refuses a probable repeat with retryable UNAVAILABLE, never places it', async () => {
    const venue = await paperVenue();
    const account = newAccount();
    const real = pgOrderHistoryStore(database.pool);
    let failing = false;
    const store: OrderHistoryStore = {
      archive: (a, orders) => real.archive(a, orders),
      find: (a, cid) => (failing ? Promise.reject(new Error('database down')) : real.find(a, cid)),
      forEachClientOrderId: (a, visit) =>
        failing ? Promise.reject(new Error('database down')) : real.forEachClientOrderId(a, visit),
    };
    const manager = startManager(venue, account, store);
    for (let i = 0; i < 6; i += 1) {
      await manager.place(`f-${i}`);
      await waitFor(async () => finished(await manager.get(`f-${i}`)), 5_000, `f-${i} finished`);
    }
    await waitFor(async () => (await manager.list()).length <= 3, 5_000, 'evicted');
    failing = true;
    const error = await manager.place('f-0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    failing = false;
    expect((await manager.place('f-0')).status).toBe('EXPIRED');
    for (const [cid, count] of await intentsPerOrder(account)) expect([cid, count]).toEqual([cid, 1]);
  });
});
