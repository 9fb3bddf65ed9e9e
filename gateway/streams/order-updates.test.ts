import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Money,
  OrderEvent,
  Price,
  Quantity,
  applyOrderEvent,
  createOrder,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
  parseLiquiditySide,
  parseTradeId,
  parseVenueId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { Order, PortfolioFill } from '../../domain/index.ts';
import { createLogger } from '../../observability/index.ts';
import { OrderStatus } from '../../proto/gen/ninja/v1/order.ts';
import type { StreamOrderUpdatesResponse } from '../../proto/gen/ninja/v1/trading.ts';
import { ORDER_POLL_MS, OrderFills, streamOrderUpdates } from './order-updates.ts';

const accountId = parseAccountId(randomUUID());
const instrumentId = parseInstrumentId('BTC-USD.PAPER');
const clientOrderId = parseClientOrderId('ou-unit-1');
const t0 = Date.now();

function acknowledged(): Order {
  const order = createOrder({
    id: parseOrderId(randomUUID()),
    clientOrderId,
    accountId,
    instrumentId,
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse('0.0300'),
    price: Price.parse('30000.00'),
    createdAt: t0,
  });
  const submitted = applyOrderEvent(order, OrderEvent.submitted({ clientOrderId, timestamp: t0 + 1 }));
  return applyOrderEvent(
    submitted,
    OrderEvent.acknowledged({ clientOrderId, timestamp: t0 + 2, venueOrderId: parseVenueOrderId('v-1') }),
  );
}

const fill = (tradeId: string, quantity: string, timestamp: number): PortfolioFill => ({
  instrument: { id: instrumentId, venue: parseVenueId('paper'), baseAsset: 'BTC', quoteAsset: 'USD' },
  tradeId: parseTradeId(tradeId),
  side: 'BUY',
  quantity: Quantity.parse(quantity),
  price: Price.parse('30000.00'),
  fee: Money.parse('0.01', 'USD'),
  timestamp,
});

const filledBy = (order: Order, f: PortfolioFill): Order =>
  applyOrderEvent(
    order,
    OrderEvent.filled({
      clientOrderId,
      timestamp: f.timestamp,
      tradeId: f.tradeId,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      liquidity: parseLiquiditySide('TAKER'),
    }),
  );

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streamOrderUpdates', () => {
  it('streams each fill once with its order, then other changes, and no order version twice', async () => {
    let orders: Order[] = [acknowledged()];
    const fills = new OrderFills();
    const received: StreamOrderUpdatesResponse[] = [];
    const abort = new AbortController();
    const running = streamOrderUpdates({
      accountId,
      sink: {
        write: (message) => {
          received.push(message);
          return Promise.resolve();
        },
      },
      signal: abort.signal,
      list: () => Promise.resolve(orders),
      fills,
      logger: createLogger({ level: 'silent' }),
    });
    await settle(20);

    const f1 = fill('t-1', '0.0100', t0 + 10);
    const f2 = fill('t-2', '0.0100', t0 + 11);
    const [order] = orders;
    if (order === undefined) throw new Error('no order');
    orders = [filledBy(filledBy(order, f1), f2)];
    fills.publish(accountId, f1);
    fills.publish(accountId, f1); // a manager may publish a fill again
    fills.publish(accountId, f2);
    fills.publish(randomUUID(), f2); // another account's
    await settle(ORDER_POLL_MS * 3);

    const current = orders[0];
    if (current === undefined) throw new Error('no order');
    orders = [applyOrderEvent(current, OrderEvent.cancelRequested({ clientOrderId, timestamp: t0 + 20 }))];
    await settle(ORDER_POLL_MS * 2);
    abort.abort();
    await running;

    expect(received.map((m) => m.fill?.tradeId ?? 'order')).toEqual(['t-1', 't-2', 'order']);
    expect(received[0]?.fill?.quantity?.value).toBe('0.0100');
    expect(received[0]?.fill?.clientOrderId).toBe(clientOrderId);
    expect(received[1]?.order?.filledQuantity?.value).toBe('0.0200');
    expect(received[2]?.order?.status).toBe(OrderStatus.ORDER_STATUS_PENDING_CANCEL);
    expect(received[2]?.fill).toBeUndefined();
  });
});

describe('OrderFills', () => {
  it('follows an account while it has listeners, and hands each fill on once whichever source brings it', async () => {
    const followed: string[] = [];
    const stopped: string[] = [];
    const feeds = new Map<string, (f: PortfolioFill) => void>();
    const fills = new OrderFills((account, publish) => {
      followed.push(account);
      feeds.set(account, publish);
      return { ready: Promise.resolve(), stop: () => stopped.push(account) };
    });
    const seen: string[] = [];
    const first = fills.subscribe(accountId, (f) => seen.push(`1:${f.tradeId}`));
    const second = fills.subscribe(accountId, (f) => seen.push(`2:${f.tradeId}`));
    expect(followed).toEqual([accountId]);
    await fills.ready(accountId, new AbortController().signal);

    const f1 = fill('t-1', '0.0100', t0 + 10);
    fills.publish(accountId, f1); // the fast path (an order manager on this node)
    feeds.get(accountId)?.(f1); // the same fill through the feed
    feeds.get(accountId)?.(fill('t-2', '0.0100', t0 + 11));
    expect(seen).toEqual(['1:t-1', '2:t-1', '1:t-2', '2:t-2']);

    first();
    expect(stopped).toEqual([]);
    second();
    expect(stopped).toEqual([accountId]);
    fills.publish(accountId, fill('t-3', '0.0100', t0 + 12));
    expect(seen).toHaveLength(4);
  });

  it('does not keep a stream waiting for a feed that never answers beyond an abort', async () => {
    const fills = new OrderFills(() => ({
      ready: new Promise<void>(() => undefined),
      stop: () => undefined,
    }));
    const unsubscribe = fills.subscribe(accountId, () => undefined);
    const abort = new AbortController();
    const waiting = fills.ready(accountId, abort.signal);
    abort.abort();
    await waiting;
    unsubscribe();
  });
});
