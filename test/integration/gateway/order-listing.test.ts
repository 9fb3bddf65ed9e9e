// ListOrders and GetOrder by order id over the order manager's memory and the order history table
// (migrations 0004 and 0005): every order listed exactly once, newest first, page after page, with
// the filters applied on both sides; real PostgreSQL, the archive written by the order managers' store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgOrderHistoryStore } from '../../../actors/orders/order-history-store.ts';
import type { TrackedOrder } from '../../../actors/orders/orders-state.ts';
import {
  Money,
  OrderEvent,
  Price,
  Quantity,
  applyOrderEvent,
  createOrder,
  isNinjaError,
  parseAccountId,
  parseClientOrderId,
  parseTradeId,
  parseVenueOrderId,
  newOrderId,
} from '../../../domain/index.ts';
import type { Order } from '../../../domain/index.ts';
import { OrderListing } from '../../../gateway/services/order-listing.ts';
import type { TestDatabase } from '../../support/index.ts';
import { BTC, migratedDatabase } from '../trading/trading-harness.ts';

const ACCOUNT = parseAccountId('6a1f0c2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
const OTHER = parseAccountId('7b2f0c2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
const T = 1_700_000_000_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  await database.drop();
});

/** A finished (FILLED or CANCELLED) or open (ACKNOWLEDGED) order created at T + `at`. */
function order(n: number, at: number, end: 'FILLED' | 'CANCELLED' | 'OPEN', account = ACCOUNT): Order {
  const clientOrderId = parseClientOrderId(`list-${n}`);
  const stamp = { clientOrderId, timestamp: T + at };
  const created = createOrder({
    id: newOrderId(),
    clientOrderId,
    accountId: account,
    instrumentId: BTC.id,
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse('1.00'),
    price: Price.parse('100.00'),
    createdAt: T + at,
  });
  const events: OrderEvent[] = [
    OrderEvent.submitted(stamp),
    OrderEvent.acknowledged({ ...stamp, venueOrderId: parseVenueOrderId(`v-${n}`) }),
  ];
  if (end === 'FILLED') {
    events.push(
      OrderEvent.filled({
        ...stamp,
        tradeId: parseTradeId(`t-${n}`),
        venueOrderId: parseVenueOrderId(`v-${n}`),
        quantity: Quantity.parse('1.00'),
        price: Price.parse('100.00'),
        fee: Money.parse('0.01', 'USD'),
        liquidity: 'MAKER',
      }),
    );
  }
  if (end === 'CANCELLED') events.push(OrderEvent.cancelled(stamp));
  return events.reduce(applyOrderEvent, created);
}

const tracked = (o: Order): TrackedOrder => ({
  order: o,
  instrument: BTC,
  reservePrice: Price.parse('100.00'),
});

async function allPages(listing: OrderListing, live: readonly Order[], statuses: string[] = []) {
  const pages: string[][] = [];
  let pageToken = '';
  do {
    const page = await listing.page({
      accountId: ACCOUNT,
      live,
      instrumentId: undefined,
      statuses: new Set(statuses),
      pageSize: 3,
      pageToken,
    });
    pages.push(page.orders.map((o) => o.clientOrderId));
    pageToken = page.nextPageToken;
  } while (pageToken !== '' && pages.length < 20);
  return pages;
}

describe('OrderListing', () => {
  it('lists live and archived orders once each, newest first, in keyed pages', async () => {
    const listing = new OrderListing(database.pool);
    const store = pgOrderHistoryStore(database.pool);
    // Archived: 1–6 (two created in the same millisecond); 6 is also still live (between its
    // archive commit and leaving memory). Live: 6–9, of which 9 is open. Another account's order
    // is archived too and must never show.
    const archived = [
      order(1, 10, 'FILLED'),
      order(2, 20, 'CANCELLED'),
      order(3, 30, 'FILLED'),
      order(4, 30, 'CANCELLED'),
      order(5, 50, 'FILLED'),
      order(6, 60, 'CANCELLED'),
    ];
    await store.archive(ACCOUNT, archived.map(tracked));
    await store.archive(OTHER, [tracked(order(99, 55, 'FILLED', OTHER))]);
    const live = [
      archived[5] as Order,
      order(7, 70, 'FILLED'),
      order(8, 80, 'CANCELLED'),
      order(9, 90, 'OPEN'),
    ];

    const pages = await allPages(listing, live);
    const ids = pages.flat();
    const sameMs = [archived[2], archived[3]]
      .map((o) => o as Order)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((o) => o.clientOrderId);
    expect(ids).toEqual(['list-9', 'list-8', 'list-7', 'list-6', 'list-5', ...sameMs, 'list-2', 'list-1']);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3]);

    const filled = (await allPages(listing, live, ['FILLED'])).flat();
    expect(filled).toEqual(['list-7', 'list-5', 'list-3', 'list-1']);

    const other = await listing.page({
      accountId: ACCOUNT,
      live,
      instrumentId: 'ETH-USD.PAPER',
      statuses: new Set(),
      pageSize: 100,
      pageToken: '',
    });
    expect(other).toEqual({ orders: [], nextPageToken: '' });

    const found = await listing.findByOrderId(ACCOUNT, (archived[1] as Order).id);
    expect(found?.clientOrderId).toBe('list-2');
    expect(found?.status).toBe('CANCELLED');
    expect(await listing.findByOrderId(OTHER, (archived[1] as Order).id)).toBeUndefined();
  });

  it('refuses a page token it did not return, naming the field', async () => {
    const listing = new OrderListing(database.pool);
    for (const pageToken of [
      'o:3',
      Buffer.from('o:3').toString('base64url'),
      Buffer.from('k:1:x').toString('base64url'),
    ]) {
      const error = await listing
        .page({
          accountId: ACCOUNT,
          live: [],
          instrumentId: undefined,
          statuses: new Set(),
          pageSize: 5,
          pageToken,
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isNinjaError(error) && error.code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/pageToken/);
    }
  });
});
