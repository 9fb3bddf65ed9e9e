import { describe, expect, it } from 'vitest';
import {
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
  createInstrument,
  newOrderId,
  parseAccountId,
  parseClientOrderId,
} from '../../domain/index.ts';
import type { OrderRequest } from '../../domain/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../../domain/values/index.ts';
import { createLogger } from '../../observability/index.ts';
import type { MarketDataEvent, VenueExecutionEvent } from '../venue-connector.ts';
import { MarketDataGenerator, MatchingEngine } from './index.ts';
import { PaperConnector } from './paper-connector.ts';

const BTC = createInstrument({
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
const ACCOUNT = 'paper-test';

function venue(options: { readonly retainFillsOfOrders?: number; readonly generated?: boolean } = {}): {
  engine: MatchingEngine;
  generator: MarketDataGenerator;
  connector: PaperConnector;
} {
  let time = 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [BTC],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => time++,
    seed: 3,
  });
  const generator = new MarketDataGenerator({
    engine,
    instrumentId: BTC.id,
    seed: 3,
    initialMid: Price.parse('30000.00'),
  });
  if (options.generated !== false) generator.step(300);
  engine.deposit(ACCOUNT, 'USD', '1000000');
  engine.deposit(ACCOUNT, 'BTC', '10');
  const connector = new PaperConnector({
    engine,
    instruments: [BTC],
    accountId: ACCOUNT,
    logger: createLogger({ level: 'silent' }),
    ...(options.retainFillsOfOrders === undefined
      ? {}
      : { retainFillsOfOrders: options.retainFillsOfOrders }),
  });
  return { engine, generator, connector };
}

function order(
  clientOrderId: string,
  fields: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type'>,
): OrderRequest {
  return {
    id: newOrderId(),
    clientOrderId: parseClientOrderId(clientOrderId),
    accountId: parseAccountId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    instrumentId: BTC.id,
    timeInForce: TimeInForce.GTC,
    quantity: Quantity.parse('0.0100'),
    createdAt: 0,
    ...fields,
  };
}

describe('PaperConnector', () => {
  it('streams the engine book as a snapshot, then deltas that rebuild it exactly', async () => {
    const { engine, generator, connector } = venue();
    await connector.start();
    const events: MarketDataEvent[] = [];
    const unsubscribe = connector.subscribeMarketData(BTC.id, (e) => events.push(e));
    generator.step(200);
    unsubscribe();
    const [first] = events;
    if (first?.kind !== 'snapshot') throw new Error('the first event must be a snapshot');
    const bids = new Map(first.book.bids.map((l) => [l.price.toString(), l.quantity]));
    const asks = new Map(first.book.asks.map((l) => [l.price.toString(), l.quantity]));
    let sequence = first.book.sequence;
    for (const e of events.slice(1)) {
      if (e.kind !== 'delta') continue;
      expect(e.delta.sequence).toBeGreaterThan(sequence);
      sequence = e.delta.sequence;
      for (const [side, levels] of [
        [bids, e.delta.bids],
        [asks, e.delta.asks],
      ] as const) {
        for (const l of levels) {
          if (l.quantity.isZero()) side.delete(l.price.toString());
          else side.set(l.price.toString(), l.quantity);
        }
      }
    }
    const book = engine.book(BTC.id);
    expect(events.some((e) => e.kind === 'trade')).toBe(true);
    expect([...bids.keys()].sort()).toEqual(book.bids.map(([p]) => p.toString()).sort());
    expect([...asks.keys()].sort()).toEqual(book.asks.map(([p]) => p.toString()).sort());
    await connector.close();
  });

  it('places at most once per client order id, reports executions, cancels', async () => {
    const { engine, connector } = venue();
    await connector.start();
    const executions: VenueExecutionEvent[] = [];
    connector.onExecution((e) => executions.push(e));
    const bid = engine.book(BTC.id, 1).bids[0]?.[0];
    if (bid === undefined) throw new Error('no bid');
    const request = order('paper-1', { side: OrderSide.BUY, type: OrderType.LIMIT, price: bid });
    const first = await connector.placeOrder(request);
    const again = await connector.placeOrder(request);
    expect(first).toMatchObject({ kind: 'accepted', order: { status: OrderStatus.ACKNOWLEDGED } });
    if (first.kind !== 'accepted' || again.kind !== 'accepted') return;
    expect(again.order.venueOrderId).toBe(first.order.venueOrderId);
    expect(engine.openOrders(ACCOUNT)).toHaveLength(1);
    expect(executions.some((e) => e.kind === 'order' && e.order.clientOrderId === 'paper-1')).toBe(true);
    // A trade: its fill comes before the order state that counts it.
    const offer = engine.book(BTC.id, 1).asks[0]?.[0];
    if (offer === undefined) throw new Error('no ask');
    executions.length = 0;
    const taker = await connector.placeOrder(
      order('paper-taker', {
        side: OrderSide.BUY,
        type: OrderType.LIMIT,
        price: offer,
        quantity: Quantity.parse('0.0001'),
      }),
    );
    if (taker.kind !== 'accepted') throw new Error(`rejected: ${taker.reason}`);
    const kinds = executions.map((e) => e.kind);
    expect(kinds.indexOf('fill')).toBeGreaterThanOrEqual(0);
    expect(kinds.slice(kinds.indexOf('fill'))).toEqual(['fill', 'order']);
    const ref = { instrumentId: BTC.id, clientOrderId: request.clientOrderId };
    expect((await connector.cancelOrder(ref)).status).toBe(OrderStatus.CANCELLED);
    await expect(connector.cancelOrder(ref)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(
      connector.cancelOrder({ instrumentId: BTC.id, clientOrderId: parseClientOrderId('nope') }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await connector.getOrder({ instrumentId: BTC.id, clientOrderId: parseClientOrderId('nope') }),
    ).toBe(undefined);
  });

  it('returns fills of a taking order with fees, and the same fills for reconciliation', async () => {
    const { connector } = venue();
    await connector.start();
    const placed = await connector.placeOrder(
      order('paper-take', { side: OrderSide.BUY, type: OrderType.MARKET }),
    );
    if (placed.kind !== 'accepted') throw new Error(`rejected: ${placed.reason}`);
    expect(placed.order.status).toBe(OrderStatus.FILLED);
    expect(placed.fills.every((f) => f.liquidity === 'TAKER' && f.fee.currency === 'BTC')).toBe(true);
    const fills = await connector.orderFills({
      instrumentId: BTC.id,
      clientOrderId: placed.order.clientOrderId,
    });
    expect(fills.map((f) => f.tradeId)).toEqual(placed.fills.map((f) => f.tradeId));
    const usd = (await connector.balances()).find((b) => b.asset === 'USD');
    expect(usd?.total.lt(Money.parse('1000000', 'USD'))).toBe(true);
  });

  it('rejects a post-only order that would take, and refuses what it cannot express', async () => {
    const { engine, connector } = venue();
    const ask = engine.book(BTC.id, 1).asks[0]?.[0];
    if (ask === undefined) throw new Error('no ask');
    const result = await connector.placeOrder(
      order('paper-post', { side: OrderSide.BUY, type: OrderType.LIMIT, price: ask, postOnly: true }),
    );
    expect(result).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/POST_ONLY/) as unknown });
    await expect(
      connector.placeOrder(
        order('paper-day', {
          side: OrderSide.BUY,
          type: OrderType.LIMIT,
          price: ask,
          timeInForce: TimeInForce.DAY,
        }),
      ),
    ).rejects.toMatchObject({ field: 'timeInForce' });
  });
});

describe('PaperConnector fills kept for orderFills', () => {
  it("keeps an open order's fills however many orders close after it, and a window of closed orders' fills", async () => {
    // No generated book: the orders below trade only with each other.
    const { engine, connector } = venue({ retainFillsOfOrders: 2, generated: false });
    engine.deposit('them', 'USD', '1000000');
    engine.deposit('them', 'BTC', '100');
    await connector.start();
    const resting = await connector.placeOrder(
      order('resting-bid', {
        side: OrderSide.BUY,
        type: OrderType.LIMIT,
        quantity: Quantity.parse('1.0000'),
        price: Price.parse('29000.00'),
      }),
    );
    if (resting.kind !== 'accepted') throw new Error(`rejected: ${resting.reason}`);
    const market = { instrumentId: BTC.id, timeInForce: 'GTC', quantity: Quantity.parse('0.0100') } as const;
    expect(
      engine.submit('them', { ...market, clientOrderId: 'hit', side: 'SELL', type: 'MARKET' }).accepted,
    ).toBe(true);
    engine.submit('them', {
      ...market,
      clientOrderId: 'offer',
      side: 'SELL',
      type: 'LIMIT',
      quantity: Quantity.parse('10.0000'),
      price: Price.parse('30001.00'),
    });
    const taken: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const placed = await connector.placeOrder(
        order(`take-${i}`, { side: OrderSide.BUY, type: OrderType.MARKET }),
      );
      if (placed.kind !== 'accepted') throw new Error(`rejected: ${placed.reason}`);
      expect(placed.order.status).toBe(OrderStatus.FILLED);
      taken.push(placed.order.clientOrderId);
    }
    expect(connector.ordersWithFills).toBe(3);
    const fillsOf = (clientOrderId: string) =>
      connector.orderFills({ instrumentId: BTC.id, clientOrderId: parseClientOrderId(clientOrderId) });
    expect((await fillsOf('resting-bid')).map((f) => f.quantity.toString())).toEqual(['0.0100']);
    expect(await fillsOf(taken[0] ?? '')).toEqual([]);
    expect(await fillsOf(taken[4] ?? '')).toHaveLength(1);
  });
});
