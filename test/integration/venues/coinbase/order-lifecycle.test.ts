import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import type { VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';
import { BTC_USD, orderRequest } from './orders.ts';

describe('Coinbase order lifecycle through the connector against the simulator', () => {
  let h: Harness;
  const events: VenueExecutionEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
    h.connector.onExecution((e) => events.push(e));
  });
  afterAll(async () => {
    await h.close();
  });

  const cross = (id: string, quantity: string, price: string) => {
    h.sim.control.deposit('BTC', '1', 'other');
    return h.sim.control.submitAs('other', {
      clientOrderId: id,
      instrumentId: 'BTC-USD',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse(quantity),
      price: Price.parse(price),
    });
  };

  it('loads products as instruments with the venue increments', () => {
    const btc = h.connector.instruments().find((i) => i.id === BTC_USD);
    expect(btc?.tickSize.toString()).toBe('0.01');
    expect(btc?.stepSize.toString()).toBe('0.00000001');
    expect(btc?.minNotional.toString()).toBe('1');
    expect(btc?.quoteAsset).toBe('USD');
  });

  it('places a limit order, fills it partly then fully, and reports each step', async () => {
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    if (placed.kind !== 'accepted') return;
    expect(placed.order.status).toBe('ACKNOWLEDGED');
    expect(placed.order.quantity.toString()).toBe('0.01');
    expect(placed.fills).toEqual([]);

    expect(cross('x1', '0.004', '29000.00').accepted).toBe(true);
    const partial = await h.connector.getOrder({
      instrumentId: BTC_USD,
      clientOrderId: request.clientOrderId,
    });
    expect(partial?.status).toBe('PARTIALLY_FILLED');
    expect(partial?.filledQuantity.eq(Quantity.parse('0.004'))).toBe(true);

    expect(cross('x2', '0.006', '29000.00').accepted).toBe(true);
    const done = await h.connector.getOrder({ instrumentId: BTC_USD, clientOrderId: request.clientOrderId });
    expect(done?.status).toBe('FILLED');

    const fills = await h.connector.orderFills({
      instrumentId: BTC_USD,
      clientOrderId: request.clientOrderId,
    });
    expect(fills.map((f) => f.quantity.toFixed(3))).toEqual(['0.004', '0.006']);
    expect(
      fills.every((f) => f.liquidity === 'MAKER' && f.fee.currency === 'USD' && f.fee.isPositive()),
    ).toBe(true);

    // The user channel reports the order and the connector turns filled size into fills.
    await until(
      () =>
        events.filter((e) => e.kind === 'fill' && e.fill.clientOrderId === request.clientOrderId).length ===
        2,
      5000,
      'two fill events',
    );
    const statuses = events.flatMap((e) =>
      e.kind === 'order' && e.order.clientOrderId === request.clientOrderId ? [e.order.status] : [],
    );
    expect(statuses).toContain('ACKNOWLEDGED');
    expect(statuses).toContain('PARTIALLY_FILLED');
    expect(statuses.at(-1)).toBe('FILLED');
    // Each fill comes before the first order update that counts it, so an order manager never sees
    // the venue's filled size ahead of its fills (it would query the order and its fills).
    let relayed = Quantity.parse('0');
    for (const e of events) {
      if (e.kind === 'fill' && e.fill.clientOrderId === request.clientOrderId)
        relayed = relayed.add(e.fill.quantity);
      if (e.kind === 'order' && e.order.clientOrderId === request.clientOrderId)
        expect(e.order.filledQuantity.lte(relayed), `${e.order.status} after ${relayed.toString()}`).toBe(
          true,
        );
    }
  });

  it('a marketable order returns its fills with the placement', async () => {
    expect(cross('x3', '0.002', '29500.00').accepted).toBe(true);
    const request = orderRequest({ side: 'BUY', type: 'MARKET', quantity: '0.002', timeInForce: 'IOC' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    if (placed.kind !== 'accepted') return;
    expect(placed.order.status).toBe('FILLED');
    expect(placed.fills).toHaveLength(1);
    expect(placed.fills[0]?.liquidity).toBe('TAKER');
    expect(placed.fills[0]?.price.toString()).toBe('29500.00');
  });

  it('cancels an open order (batch_cancel) and lists only open orders', async () => {
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '28000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    const open = await h.connector.openOrders(BTC_USD);
    expect(open.map((o) => o.clientOrderId)).toContain(request.clientOrderId);
    const cancelled = await h.connector.cancelOrder({
      instrumentId: BTC_USD,
      clientOrderId: request.clientOrderId,
    });
    expect(cancelled.status).toBe('CANCELLED');
    const after = await h.connector.openOrders(BTC_USD);
    expect(after.map((o) => o.clientOrderId)).not.toContain(request.clientOrderId);
    await expect(
      h.connector.cancelOrder({ instrumentId: BTC_USD, clientOrderId: request.clientOrderId }),
    ).rejects.toThrow(/COMMANDER_REJECTED_CANCEL_ORDER/);
  });

  it('a post-only order that would take is rejected with the venue reason', async () => {
    // A resting ask at 29800 from another account; a post-only bid at 29900 would take it.
    expect(cross('x4', '0.001', '29800.00').accepted).toBe(true);
    const placed = await h.connector.placeOrder(
      orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '29900.00', postOnly: true }),
    );
    expect(placed).toMatchObject({ kind: 'rejected', reason: 'INVALID_LIMIT_PRICE_POST_ONLY' });
  });

  it('an order beyond the balance is rejected as INSUFFICIENT_FUND', async () => {
    const placed = await h.connector.placeOrder(
      orderRequest({ side: 'SELL', type: 'LIMIT', quantity: '1000', price: '90000.00' }),
    );
    expect(placed).toMatchObject({ kind: 'rejected', reason: 'INSUFFICIENT_FUND' });
  });

  it('a price off the tick is rejected as INVALID_PRICE_PRECISION', async () => {
    const placed = await h.connector.placeOrder(
      orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '100.001' }),
    );
    expect(placed).toMatchObject({ kind: 'rejected', reason: 'INVALID_PRICE_PRECISION' });
  });

  it('places GTD, FOK, IOC and stop-limit configurations', async () => {
    const gtd = await h.connector.placeOrder(
      orderRequest({
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.001',
        price: '20000.00',
        timeInForce: 'GTD',
        expireAt: Date.now() + 600_000,
      }),
    );
    expect(gtd.kind === 'accepted' && gtd.order.status).toBe('ACKNOWLEDGED');
    const fok = await h.connector.placeOrder(
      orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '5', price: '20000.00', timeInForce: 'FOK' }),
    );
    expect(fok.kind === 'accepted' && fok.order.status).toBe('CANCELLED');
    const ioc = await h.connector.placeOrder(
      orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '20000.00', timeInForce: 'IOC' }),
    );
    expect(ioc.kind === 'accepted' && ioc.order.status).toBe('CANCELLED');
    const stop = await h.connector.placeOrder(
      orderRequest({
        side: 'BUY',
        type: 'STOP_LIMIT',
        quantity: '0.001',
        price: '40100.00',
        stopPrice: '40000.00',
      }),
    );
    expect(stop.kind === 'accepted' && stop.order).toMatchObject({
      type: 'STOP_LIMIT',
      status: 'ACKNOWLEDGED',
    });
  });

  it('reports balances and the order book', async () => {
    const balances = await h.connector.balances();
    const usd = balances.find((b) => b.asset === 'USD');
    expect(usd?.total.eq(usd.available.add(usd.locked))).toBe(true);
    expect(usd?.locked.isPositive()).toBe(true);
    const book = await h.connector.bookSnapshot(BTC_USD, 5);
    expect(book.asks[0]?.price.toString()).toBe('29800.00');
  });

  it('never holds two venue orders for one client order id', async () => {
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '21000.00' });
    const first = await h.connector.placeOrder(request);
    const second = await h.connector.placeOrder(request);
    expect(first.kind === 'accepted' && second.kind === 'accepted').toBe(true);
    if (first.kind === 'accepted' && second.kind === 'accepted') {
      expect(second.order.venueOrderId).toBe(first.order.venueOrderId);
    }
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
  });
});
