import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceExhaustedError, UnavailableError } from '../../../../domain/errors.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import type { MarketDataEvent } from '../../../../venues/venue-connector.ts';
import { EUR_USD, metricValue, orderRequest, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

const LP = 'fault-liquidity';

describe('OANDA connector under injected faults', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 }, { requestsPerSecond: 20 });
    h.sim.control.engine.deposit(LP, 'EUR', '1000000000');
    h.sim.control.engine.deposit(LP, 'USD', '1000000000');
    const result = h.sim.control.submitAs(LP, {
      clientOrderId: 'lp-asks',
      instrumentId: 'EUR_USD',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('10000000'),
      price: Price.parse('1.10010'),
    });
    expect(result.accepted).toBe(true);
  });
  afterEach(() => h.sim.control.faults.clear());
  afterAll(async () => h.close());

  const fillsOf = (clientOrderId: string): string[] =>
    h.events.flatMap((e) =>
      e.kind === 'fill' && e.fill.clientOrderId === clientOrderId ? [e.fill.tradeId] : [],
    );

  it('resumes the transaction stream from lastTransactionID after a drop: missed transactions replayed once', async () => {
    const resting = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('3000'),
      price: Price.parse('1.09000'),
    });
    expect((await h.connector.placeOrder(resting)).kind).toBe('accepted');
    await until(
      () => h.connector.lastTransactionId === h.sim.control.lastTransactionId,
      3000,
      'stream caught up',
    );
    const reconnectsBefore = h.events.filter((e) => e.kind === 'reconnected').length;
    // The next two reconnect attempts fail (503), so the outage spans several transactions.
    h.sim.control.faults.apply({ serverError: { count: 2, paths: [h.path('/transactions/stream')] } });
    expect(h.sim.control.dropStreams()).toBeGreaterThan(0);
    const missedFrom = Number(h.sim.control.lastTransactionId);
    for (let i = 0; i < 3; i++) {
      h.sim.control.submitAs(LP, {
        clientOrderId: `lp-cross-${i}`,
        instrumentId: 'EUR_USD',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: Quantity.parse('1000'),
        price: Price.parse('1.09000'),
      });
      await Promise.resolve(); // let the simulator record each fill as its own transaction
    }
    expect(Number(h.sim.control.lastTransactionId)).toBe(missedFrom + 3);
    await until(() => fillsOf(resting.clientOrderId).length === 3, 5000, 'replayed fills');
    await until(
      () => h.connector.lastTransactionId === h.sim.control.lastTransactionId,
      3000,
      'caught up again',
    );
    const tradeIds = fillsOf(resting.clientOrderId);
    expect(new Set(tradeIds).size).toBe(3);
    expect(tradeIds).toEqual([String(missedFrom + 1), String(missedFrom + 2), String(missedFrom + 3)]);
    expect(h.events.filter((e) => e.kind === 'reconnected').length).toBeGreaterThan(reconnectsBefore);
    expect(await metricValue(h.metrics, 'oanda_replayed_transactions_total')).toBeGreaterThanOrEqual(3);
    // Replayed by the reconnect itself (transactions/sinceid before reading the new stream).
    const replays = h.logLines.filter((l) => l.includes('replayed missed OANDA transactions'));
    expect(replays.some((l) => l.includes('"why":"connected"') && l.includes(`"from":"${missedFrom}"`))).toBe(
      true,
    );
    expect(
      await metricValue(h.metrics, 'oanda_stream_reconnects_total', {
        stream: 'transactions',
        reason: 'http',
      }),
    ).toBeGreaterThanOrEqual(1);
    const order = await h.connector.getOrder(resting);
    expect(order?.status).toBe('FILLED');
  });

  it('replaces both streams when heartbeats stop, and marks subscribed books stale', async () => {
    const market: MarketDataEvent[] = [];
    const stop = h.connector.subscribeMarketData(EUR_USD, (e) => market.push(e));
    await until(() => market.some((e) => e.kind === 'snapshot'), 3000, 'first price');
    const heartbeat = { reason: 'heartbeat' };
    const before = await metricValue(h.metrics, 'oanda_stream_reconnects_total', heartbeat);
    h.sim.control.faults.apply({ staleHeartbeats: true });
    await until(
      async () =>
        (await metricValue(h.metrics, 'oanda_stream_reconnects_total', { ...heartbeat, stream: 'pricing' })) >
          0 &&
        (await metricValue(h.metrics, 'oanda_stream_reconnects_total', {
          ...heartbeat,
          stream: 'transactions',
        })) > 0,
      5000,
      'heartbeat reconnects',
    );
    expect(await metricValue(h.metrics, 'oanda_stream_reconnects_total', heartbeat)).toBeGreaterThan(before);
    expect(market.some((e) => e.kind === 'stale')).toBe(true);
    h.sim.control.faults.clear();
    const snapshots = market.length;
    await until(() => market.length > snapshots && market.at(-1)?.kind === 'snapshot', 3000, 'prices again');
    stop();
    // The execution stream works after the reconnects.
    const request = orderRequest();
    expect((await h.connector.placeOrder(request)).kind).toBe('accepted');
    await until(() => fillsOf(request.clientOrderId).length === 1, 3000, 'fill after reconnect');
  });

  it('waits out a 429 and retries (a 429 was not executed)', async () => {
    const before = await metricValue(h.metrics, 'oanda_rate_limited_total', { source: 'venue' });
    h.sim.control.faults.apply({
      rateLimit: { status: 429, retryAfterSeconds: 0, count: 2, paths: [h.path('/orders')] },
    });
    const request = orderRequest();
    const result = await h.connector.placeOrder(request);
    expect(result.kind).toBe('accepted');
    expect(await metricValue(h.metrics, 'oanda_rate_limited_total', { source: 'venue' })).toBe(before + 2);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
  });

  it('gives up with ResourceExhausted after the allowed 429 retries, having created nothing', async () => {
    h.sim.control.faults.apply({
      rateLimit: { status: 429, retryAfterSeconds: 0, count: 10, paths: [h.path('/orders')] },
    });
    const request = orderRequest();
    const error = await h.connector.placeOrder(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error).toMatchObject({ httpStatus: 429 });
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(0);
  });

  it('resolves a 5xx after execution by querying @clientId: one order, the fill reported', async () => {
    h.sim.control.faults.apply({
      serverError: { status: 503, count: 1, executed: true, paths: [h.path('/orders')] },
    });
    const request = orderRequest();
    const result = await h.connector.placeOrder(request);
    expect(result.kind).toBe('accepted');
    if (result.kind !== 'accepted') return;
    expect(result.order.status).toBe('FILLED');
    expect(result.fills).toHaveLength(1);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    expect(
      await metricValue(h.metrics, 'oanda_unknown_outcomes_total', { resolution: 'found' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('resends once when the query says the 5xx order was never created', async () => {
    h.sim.control.faults.apply({
      serverError: { status: 500, count: 1, executed: false, paths: [h.path('/orders')] },
    });
    const request = orderRequest();
    expect((await h.connector.placeOrder(request)).kind).toBe('accepted');
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    expect(
      await metricValue(h.metrics, 'oanda_unknown_outcomes_total', { resolution: 'absent' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('resolves a lost acknowledgement (connection cut after execution) without a second order', async () => {
    h.sim.control.faults.apply({ lostAck: { count: 1, paths: [h.path('/orders')] } });
    const request = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('1000'),
      price: Price.parse('1.08000'),
    });
    const result = await h.connector.placeOrder(request);
    expect(result.kind === 'accepted' && result.order.status).toBe('ACKNOWLEDGED');
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
  });

  it('never resends while even the query fails: the unknown outcome surfaces as Unavailable', async () => {
    const request = orderRequest();
    const lookup = h.path(`/orders/${encodeURIComponent(`@${request.clientOrderId}`)}`);
    h.sim.control.faults.apply({
      serverError: { status: 503, count: 10, executed: true, paths: [h.path('/orders'), lookup] },
    });
    const error = await h.connector.placeOrder(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    h.sim.control.faults.clear();
    expect((await h.connector.getOrder(request))?.status).toBe('FILLED');
    expect(await metricValue(h.metrics, 'oanda_unknown_outcomes_total', { resolution: 'unresolved' })).toBe(
      1,
    );
  });

  it('holds requests to the client-side budget instead of exceeding it', async () => {
    const before = await metricValue(h.metrics, 'oanda_rate_limited_total', { source: 'client' });
    await Promise.all(Array.from({ length: 30 }, () => h.connector.balances()));
    expect(await metricValue(h.metrics, 'oanda_rate_limited_total', { source: 'client' })).toBeGreaterThan(
      before,
    );
  });
});
