import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
  newOrderId,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
} from '../../../../domain/index.ts';
import type { OrderRequest } from '../../../../domain/index.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../../../../venues/binanceus/index.ts';
import type { MarketDataEvent, VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

const BTC = parseInstrumentId('BTCUSD.BINANCEUS');

function order(
  clientOrderId: string,
  fields: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type'>,
): OrderRequest {
  return {
    id: newOrderId(),
    clientOrderId: parseClientOrderId(clientOrderId),
    accountId: parseAccountId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    instrumentId: BTC,
    timeInForce: TimeInForce.GTC,
    quantity: Quantity.parse('0.010000'),
    createdAt: Date.now(),
    ...fields,
  };
}

describe('BinanceUsConnector (VenueConnector) against the Binance.US simulator', () => {
  let h: Harness;
  let connector: BinanceUsConnector;
  const executions: VenueExecutionEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 10 });
    connector = new BinanceUsConnector({
      config: h.config,
      credentials: new BinanceUsCredentials(h.sim.apiKey, h.sim.apiSecret),
      logger: h.logger,
      metrics: h.metrics,
      symbols: ['BTCUSD', 'ETHUSD'],
    });
    await connector.start();
    connector.onExecution((event) => executions.push(event));
  });
  afterAll(async () => {
    await connector.close();
    await h.close();
  });

  const bestPrices = async (): Promise<{ bid: Price; ask: Price }> => {
    const book = await connector.bookSnapshot(BTC, 5);
    const bid = book.bids[0]?.price;
    const ask = book.asks[0]?.price;
    if (bid === undefined || ask === undefined) throw new Error('the seeded book is empty');
    return { bid, ask };
  };

  it('loads instruments from exchange info with exact rules', () => {
    const btc = connector.instruments().find((i) => i.id === BTC);
    expect(btc?.tickSize.toString()).toBe('0.01000000');
    expect(btc?.quoteAsset).toBe('USD');
    expect(connector.capabilities.postOnly).toBe(true);
  });

  it('places a resting limit order, sees it on the stream and in open orders, then cancels it', async () => {
    const { bid } = await bestPrices();
    const placed = await connector.placeOrder(
      order('conn-rest-1', { side: OrderSide.BUY, type: OrderType.LIMIT, price: bid }),
    );
    expect(placed.kind).toBe('accepted');
    if (placed.kind !== 'accepted') return;
    expect(placed.order.status).toBe(OrderStatus.ACKNOWLEDGED);
    expect(placed.order.price?.eq(bid)).toBe(true);
    await until(
      () => executions.some((e) => e.kind === 'order' && e.order.clientOrderId === 'conn-rest-1'),
      5000,
      'execution event of conn-rest-1',
    );
    const open = await connector.openOrders(BTC);
    expect(open.map((o) => o.clientOrderId)).toContain('conn-rest-1');
    const ref = { instrumentId: BTC, clientOrderId: placed.order.clientOrderId };
    const cancelled = await connector.cancelOrder(ref);
    expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    expect(cancelled.clientOrderId).toBe('conn-rest-1');
    expect((await connector.getOrder(ref))?.status).toBe(OrderStatus.CANCELLED);
    expect(
      await connector.getOrder({ instrumentId: BTC, clientOrderId: parseClientOrderId('never-sent') }),
    ).toBe(undefined);
  });

  it('answers a post-only order that would take as rejected, with the venue reason', async () => {
    const { ask } = await bestPrices();
    const result = await connector.placeOrder(
      order('conn-post-1', { side: OrderSide.BUY, type: OrderType.LIMIT, price: ask, postOnly: true }),
    );
    expect(result).toMatchObject({ kind: 'rejected', clientOrderId: 'conn-post-1' });
    if (result.kind === 'rejected') expect(result.reason).toMatch(/immediately match/);
  });

  it('refuses what Binance.US cannot express before sending anything', async () => {
    await expect(
      connector.placeOrder(
        order('conn-gtd-1', {
          side: OrderSide.BUY,
          type: OrderType.LIMIT,
          price: Price.parse('1.00'),
          timeInForce: TimeInForce.DAY,
        }),
      ),
    ).rejects.toMatchObject({ field: 'timeInForce' });
    expect(h.sim.control.acceptedCount('conn-gtd-1')).toBe(0);
  });

  it('resolves a 5xx placement by query: the order exists once and is reported accepted', async () => {
    const { bid } = await bestPrices();
    await fetch(`${h.sim.restUrl}/__control/faults`, {
      method: 'POST',
      body: JSON.stringify({
        serverError: { status: 503, count: 1, paths: ['/api/v3/order'], executed: true },
      }),
    });
    const placed = await connector.placeOrder(
      order('conn-5xx-1', { side: OrderSide.BUY, type: OrderType.LIMIT, price: bid }),
    );
    expect(placed).toMatchObject({ kind: 'accepted', order: { clientOrderId: 'conn-5xx-1' } });
    expect(h.sim.control.acceptedCount('conn-5xx-1')).toBe(1);
  });

  it('reports balances as exact money', async () => {
    const balances = await connector.balances();
    const usd = balances.find((b) => b.asset === 'USD');
    expect(usd?.total.eq(usd.available.add(usd.locked))).toBe(true);
    expect(usd?.total.isPositive()).toBe(true);
  });

  it('streams a snapshot then deltas, and after a sequence gap `stale` then a fresh snapshot', async () => {
    const events: MarketDataEvent[] = [];
    const unsubscribe = connector.subscribeMarketData(BTC, (e) => events.push(e));
    try {
      await until(() => events.some((e) => e.kind === 'snapshot'), 5000, 'first snapshot');
      h.sim.control.step(20);
      await until(() => events.some((e) => e.kind === 'delta'), 5000, 'a delta');
      const first = events.findIndex((e) => e.kind === 'snapshot');
      const firstDelta = events.findIndex((e) => e.kind === 'delta');
      expect(first).toBeLessThan(firstDelta);
      await fetch(`${h.sim.restUrl}/__control/faults`, {
        method: 'POST',
        body: JSON.stringify({ sequenceGap: { count: 1, symbols: ['BTCUSD'] } }),
      });
      const before = events.length;
      for (let i = 0; i < 20 && !events.slice(before).some((e) => e.kind === 'stale'); i++) {
        h.sim.control.step(5);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await until(() => events.slice(before).some((e) => e.kind === 'stale'), 5000, 'stale after the gap');
      const staleAt = before + events.slice(before).findIndex((e) => e.kind === 'stale');
      await until(
        () => events.slice(staleAt).some((e) => e.kind === 'snapshot'),
        5000,
        'a fresh snapshot after stale',
      );
      // Deltas carry increasing sequences within each synced stretch.
      const seqs = events.slice(staleAt).flatMap((e) => (e.kind === 'delta' ? [e.delta.sequence] : []));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      unsubscribe();
    }
  });
  it('maps a taking order to fills, and the same fills come back for reconciliation', async () => {
    const placed = await connector.placeOrder(
      order('conn-take-1', {
        side: OrderSide.BUY,
        type: OrderType.MARKET,
        quantity: Quantity.parse('0.001000'),
      }),
    );
    expect(placed.kind).toBe('accepted');
    if (placed.kind !== 'accepted') return;
    expect(placed.order.status).toBe(OrderStatus.FILLED);
    expect(placed.fills.length).toBeGreaterThan(0);
    const fills = await connector.orderFills({
      instrumentId: BTC,
      clientOrderId: placed.order.clientOrderId,
      venueOrderId: placed.order.venueOrderId,
    });
    expect(fills.map((f) => f.tradeId)).toEqual(placed.fills.map((f) => f.tradeId));
    expect(fills.every((f) => f.liquidity === 'TAKER')).toBe(true);
    await until(
      () => executions.some((e) => e.kind === 'fill' && e.fill.clientOrderId === 'conn-take-1'),
      5000,
      'fill event of conn-take-1',
    );
  });
  it('a FOK that cannot fill and a market order into an empty book come back EXPIRED, as on Binance', async () => {
    const { ask } = await bestPrices();
    const fok = await connector.placeOrder(
      order('conn-fok-1', {
        side: OrderSide.BUY,
        type: OrderType.LIMIT,
        timeInForce: TimeInForce.FOK,
        price: ask,
        quantity: Quantity.parse('500.000000'),
      }),
    );
    expect(fok).toMatchObject({ kind: 'accepted', order: { status: OrderStatus.EXPIRED }, fills: [] });
    if (fok.kind !== 'accepted') return;
    expect(fok.order.filledQuantity.isZero()).toBe(true);
    const ref = { instrumentId: BTC, clientOrderId: fok.order.clientOrderId };
    expect((await connector.getOrder(ref))?.status).toBe(OrderStatus.EXPIRED);
    await until(
      () =>
        executions.some(
          (e) => e.kind === 'order' && e.order.clientOrderId === 'conn-fok-1' && e.order.status === 'EXPIRED',
        ),
      5000,
      'EXPIRED execution report',
    );
    expect(h.sim.control.acceptedCount('conn-fok-1')).toBe(1);
    // ETHUSD's asks are emptied by a large market buy from another account first.
    h.sim.control.deposit('USD', '100000000', 'sweeper');
    const eth = parseInstrumentId('ETHUSD.BINANCEUS');
    const book = await connector.bookSnapshot(eth, 1000);
    for (const [i, level] of book.asks.entries()) {
      h.sim.control.submitAs('sweeper', {
        clientOrderId: `sweep-${i}`,
        instrumentId: 'ETHUSD',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: level.quantity,
        price: level.price,
      });
    }
    expect((await connector.bookSnapshot(eth, 5)).asks).toEqual([]);
    const market = await connector.placeOrder(
      order('conn-mkt-empty', { instrumentId: eth, side: OrderSide.BUY, type: OrderType.MARKET }),
    );
    expect(market).toMatchObject({ kind: 'accepted', order: { status: OrderStatus.EXPIRED }, fills: [] });
  });
});
