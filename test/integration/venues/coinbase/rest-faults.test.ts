import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceExhaustedError, UnavailableError } from '../../../../domain/errors.ts';
import { CoinbaseRateLimitError } from '../../../../venues/coinbase/index.ts';
import { metricValue, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { BTC_USD, orderRequest } from './orders.ts';

const ORDERS = '/api/v3/brokerage/orders';
const LIST = '/api/v3/brokerage/orders/historical/batch';

describe('Coinbase REST faults: 429 pauses, unknown outcomes resolved by query without duplicates', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 5 });
  });
  afterEach(() => h.sim.control.faults.clear());
  afterAll(async () => {
    await h.close();
  });

  const placements = (outcome: string): Promise<number> =>
    metricValue(h.metrics, 'coinbase_order_placements_total', { outcome });

  it('reads x-ratelimit-* headers', async () => {
    await h.connector.openOrders(BTC_USD);
    expect(h.connector.rest.transport.rateLimiter.limit).toBe(30);
    expect(h.connector.rest.transport.rateLimiter.remaining).toBeGreaterThanOrEqual(0);
  });

  it('a 429 raises a ResourceExhausted error with retry-after, then the pause is honoured', async () => {
    h.sim.control.faults.apply({ rateLimit: { status: 429, retryAfterSeconds: 1, count: 1, paths: [LIST] } });
    const error = await h.connector.openOrders(BTC_USD).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoinbaseRateLimitError);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect((error as CoinbaseRateLimitError).retryAfterMs).toBe(1000);
    // The next call waits out the 1 s pause (under maxPauseWaitMs) instead of failing.
    await expect(h.connector.openOrders(BTC_USD)).resolves.toBeDefined();
    expect(await metricValue(h.metrics, 'coinbase_rate_limit_pauses_total', { status: '429' })).toBe(1);
  });

  it('a 5xx after the venue executed the order is resolved by query, not by a resend', async () => {
    h.sim.control.faults.apply({ serverError: { status: 503, count: 1, paths: [ORDERS], executed: true } });
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '25000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    expect(await placements('found_after_unknown')).toBe(1);
  });

  it('a 5xx before the venue executed the order is resent once after the query finds nothing', async () => {
    h.sim.control.faults.apply({ serverError: { status: 500, count: 1, paths: [ORDERS], executed: false } });
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '25000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    expect(await placements('resent_after_unknown')).toBe(1);
  });

  it('a lost acknowledgement (connection dropped after execution) leaves exactly one order', async () => {
    h.sim.control.faults.apply({ lostAck: { count: 1, paths: [ORDERS] } });
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '25000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
  });

  it('when even the query cannot answer, placement throws UnavailableError and never resends', async () => {
    h.sim.control.faults.apply({
      serverError: { status: 503, count: 4, paths: [ORDERS, LIST], executed: true },
    });
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '25000.00' });
    const error = await h.connector.placeOrder(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);
    // Later, the caller's query finds the order the venue did place.
    const found = await h.connector.getOrder({ instrumentId: BTC_USD, clientOrderId: request.clientOrderId });
    expect(found?.status).toBe('ACKNOWLEDGED');
    expect(await placements('unresolved')).toBeGreaterThanOrEqual(1);
  });

  it('a read that gets a 5xx is simply unavailable', async () => {
    h.sim.control.faults.apply({ serverError: { status: 502, count: 1, paths: [LIST] } });
    await expect(h.connector.openOrders(BTC_USD)).rejects.toBeInstanceOf(UnavailableError);
  });
});
