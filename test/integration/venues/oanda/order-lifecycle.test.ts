import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnauthenticatedError } from '../../../../domain/errors.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import { OandaConnector, OandaCredentials, OandaOrderRejectedError } from '../../../../venues/oanda/index.ts';
import type { MarketDataEvent, VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { testLogger } from '../../../support/index.ts';
import { EUR_USD, FAST, metricValue, orderRequest, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

const LP = 'test-liquidity';

describe('OANDA connector order lifecycle against the simulator', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
    h.sim.control.engine.deposit(LP, 'EUR', '1000000000');
    h.sim.control.engine.deposit(LP, 'USD', '1000000000');
  });
  afterAll(async () => h.close());

  const lp = (side: 'BUY' | 'SELL', quantity: string, price: string): void => {
    const result = h.sim.control.submitAs(LP, {
      clientOrderId: `lp-${Math.random().toString(36).slice(2, 10)}`,
      instrumentId: 'EUR_USD',
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse(quantity),
      price: Price.parse(price),
    });
    expect(result.accepted).toBe(true);
  };
  const eventsOf = (clientOrderId: string): VenueExecutionEvent[] =>
    h.events.filter(
      (e) =>
        (e.kind === 'order' && e.order.clientOrderId === clientOrderId) ||
        (e.kind === 'fill' && e.fill.clientOrderId === clientOrderId),
    );

  it('loads instruments with displayPrecision and tradeUnitsPrecision as tick and step', () => {
    const eur = h.connector.instruments().find((i) => i.id === EUR_USD);
    expect(eur?.tickSize.toString()).toBe('0.00001');
    expect(eur?.stepSize.toString()).toBe('1');
    expect(eur?.baseAsset).toBe('EUR');
    expect(eur?.quoteAsset).toBe('USD');
    expect(
      h.connector
        .instruments()
        .find((i) => i.symbol === 'USD_JPY')
        ?.tickSize.toString(),
    ).toBe('0.001');
  });

  it('fills a FOK market order at once and reports the fill on the transaction stream too', async () => {
    lp('SELL', '5000', '1.10010');
    const request = orderRequest({ quantity: Quantity.parse('1000') });
    const result = await h.connector.placeOrder(request);
    expect(result.kind).toBe('accepted');
    if (result.kind !== 'accepted') return;
    expect(result.order.status).toBe('FILLED');
    expect(result.order.filledQuantity.toString()).toBe('1000');
    expect(result.fills).toHaveLength(1);
    expect(result.fills[0]?.price.toString()).toBe('1.10010');
    expect(result.fills[0]?.side).toBe('BUY');
    const tradeId = result.fills[0]?.tradeId;
    await until(() => eventsOf(request.clientOrderId).some((e) => e.kind === 'fill'), 3000, 'stream fill');
    const streamed = eventsOf(request.clientOrderId).find((e) => e.kind === 'fill');
    expect(streamed?.kind === 'fill' && streamed.fill.tradeId).toBe(tradeId);
  });

  it('partially fills an IOC market order and cancels the rest (INSUFFICIENT_LIQUIDITY)', async () => {
    const result = await h.connector.placeOrder(
      orderRequest({ timeInForce: 'IOC', quantity: Quantity.parse('10000') }),
    );
    expect(result.kind).toBe('accepted');
    if (result.kind !== 'accepted') return;
    expect(result.order.status).toBe('CANCELLED');
    expect(result.order.filledQuantity.toString()).toBe('4000');
    expect(result.fills[0]?.quantity.toString()).toBe('4000');
  });

  it('reports a resting limit order partially filled, then filled, from the stream', async () => {
    const request = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('2000'),
      price: Price.parse('1.09000'),
    });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind === 'accepted' && placed.order.status).toBe('ACKNOWLEDGED');
    lp('SELL', '500', '1.09000');
    await until(
      () =>
        eventsOf(request.clientOrderId).some(
          (e) => e.kind === 'order' && e.order.status === 'PARTIALLY_FILLED',
        ),
      3000,
      'partial fill event',
    );
    const partial = await h.connector.getOrder(request);
    expect(partial?.status).toBe('PARTIALLY_FILLED');
    expect(partial?.filledQuantity.toString()).toBe('500');
    expect((await h.connector.openOrders(EUR_USD)).map((o) => o.clientOrderId)).toContain(
      request.clientOrderId,
    );
    lp('SELL', '1500', '1.09000');
    await until(
      () => eventsOf(request.clientOrderId).some((e) => e.kind === 'order' && e.order.status === 'FILLED'),
      3000,
      'filled event',
    );
    const fills = await h.connector.orderFills(request);
    expect(fills.map((f) => f.quantity.toString())).toEqual(['500', '1500']);
    expect((await h.connector.getOrder(request))?.status).toBe('FILLED');
  });

  it('cancels a resting order by client order id; a second cancel is refused by the venue', async () => {
    const request = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTC',
      side: 'SELL',
      quantity: Quantity.parse('1000'),
      price: Price.parse('1.20000'),
    });
    expect((await h.connector.placeOrder(request)).kind).toBe('accepted');
    const cancelled = await h.connector.cancelOrder({
      instrumentId: EUR_USD,
      clientOrderId: request.clientOrderId,
    });
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.side).toBe('SELL');
    const again = await h.connector.cancelOrder(request).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OandaOrderRejectedError);
    expect(again).toMatchObject({ httpStatus: 404, errorCode: 'ORDER_DOESNT_EXIST' });
    expect((await h.connector.openOrders(EUR_USD)).map((o) => o.clientOrderId)).not.toContain(
      request.clientOrderId,
    );
    expect(await h.connector.getOrder(orderRequest())).toBeUndefined();
  });

  it('returns the venue reject reason: GTD time in the past (400 with orderRejectTransaction)', async () => {
    const createdAt = Date.now() - 60_000;
    const result = await h.connector.placeOrder(
      orderRequest({
        type: 'LIMIT',
        timeInForce: 'GTD',
        price: Price.parse('1.05000'),
        createdAt,
        expireAt: createdAt + 1000,
      }),
    );
    expect(result).toMatchObject({ kind: 'rejected', reason: 'TIME_IN_FORCE_GTD_TIMESTAMP_IN_PAST' });
  });

  it('expires a GTD order at its gtdTime (ORDER_CANCEL TIME_IN_FORCE_EXPIRED → EXPIRED)', async () => {
    const request = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTD',
      price: Price.parse('1.05000'),
      expireAt: Date.now() + 300,
    });
    expect((await h.connector.placeOrder(request)).kind).toBe('accepted');
    await until(
      () => eventsOf(request.clientOrderId).some((e) => e.kind === 'order' && e.order.status === 'EXPIRED'),
      3000,
      'expiry',
    );
  });

  it('returns MARKET_HALTED for a market order on a halted instrument', async () => {
    h.sim.control.halt('EUR_USD', true);
    try {
      const result = await h.connector.placeOrder(orderRequest());
      expect(result).toMatchObject({ kind: 'rejected', reason: 'MARKET_HALTED' });
    } finally {
      h.sim.control.halt('EUR_USD', false);
    }
  });

  it('returns INSUFFICIENT_MARGIN when the margin needed exceeds what is available', async () => {
    lp('SELL', '90000000', '1.10100');
    const result = await h.connector.placeOrder(orderRequest({ quantity: Quantity.parse('90000000') }));
    expect(result).toMatchObject({ kind: 'rejected', reason: 'INSUFFICIENT_MARGIN' });
    const [usd] = await h.connector.balances();
    expect(usd?.asset).toBe('USD');
    expect(usd?.available.add(usd.locked).eq(usd.total)).toBe(true);
  });

  it('refuses prices and units with too many decimals before sending anything', async () => {
    const before = await metricValue(h.metrics, 'oanda_requests_total', { method: 'POST' });
    const price = orderRequest({ type: 'LIMIT', timeInForce: 'GTC', price: Price.parse('1.100001') });
    await expect(h.connector.placeOrder(price)).rejects.toBeInstanceOf(InvalidArgumentError);
    const units = orderRequest({ quantity: Quantity.parse('1000.5') });
    await expect(h.connector.placeOrder(units)).rejects.toBeInstanceOf(InvalidArgumentError);
    // Trailing zeros are not extra precision: 1.100000 is sent as 1.10000.
    const zeros = orderRequest({ type: 'LIMIT', timeInForce: 'GTC', price: Price.parse('1.050000') });
    expect((await h.connector.placeOrder(zeros)).kind).toBe('accepted');
    expect(await metricValue(h.metrics, 'oanda_requests_total', { method: 'POST' })).toBe(before + 1);
    expect(h.sim.control.acceptedCount(price.clientOrderId)).toBe(0);
    expect(h.sim.control.acceptedCount(units.clientOrderId)).toBe(0);
  });

  it('streams prices as book snapshots and answers book snapshots over REST', async () => {
    const events: MarketDataEvent[] = [];
    const stop = h.connector.subscribeMarketData(EUR_USD, (e) => events.push(e));
    await until(() => events.some((e) => e.kind === 'snapshot'), 3000, 'first price');
    lp('BUY', '3000', '1.00000');
    await until(
      () =>
        events.some(
          (e) => e.kind === 'snapshot' && e.book.bids.some((b) => b.price.toString() === '1.00000'),
        ),
      3000,
      'price with the new bid',
    );
    stop();
    const book = await h.connector.bookSnapshot(EUR_USD, 2);
    expect(book.bids.length).toBeLessThanOrEqual(2);
    expect(book.asks[0]?.price.toString()).toBe('1.10100');
  });

  it('fails to start with UnauthenticatedError on a wrong token (401 errorMessage)', async () => {
    const connector = new OandaConnector({
      config: { urls: { rest: h.sim.restUrl, stream: h.sim.streamUrl }, ...FAST },
      credentials: new OandaCredentials('0123456789abcdef-wrong', h.sim.accountId),
      logger: testLogger('oanda-test'),
      metrics: new MetricsRegistry(),
    });
    const error = await connector.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error).toMatchObject({
      httpStatus: 401,
      errorMessage: 'Insufficient authorization to perform request.',
    });
    await connector.close();
  });
});
