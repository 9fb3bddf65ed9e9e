import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceExhaustedError } from '../../../../domain/errors.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import {
  BinanceUsCredentials,
  BinanceUsRateLimitError,
  BinanceUsRestClient,
  BinanceUsUnknownOutcomeError,
  placeOrderSafely,
} from '../../../../venues/binanceus/index.ts';
import type { NewOrderRequest } from '../../../../venues/binanceus/index.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import { metricValue, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const ORDER = '/api/v3/order';

function limitOrder(clientOrderId: string): NewOrderRequest {
  return {
    symbol: 'BTCUSD',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse('0.001'),
    price: Price.parse('20000.00'),
    newClientOrderId: clientOrderId,
  };
}

describe('Binance.US connector under injected REST faults', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({}, { requestTimeoutMs: 1000 });
  });
  afterEach(() => h.sim.control.faults.clear());
  afterAll(async () => h.close());

  it('reads weight and order-count headers', async () => {
    await h.client.newOrder(limitOrder('hdr-1'));
    expect(h.client.transport.rateLimiter.usedWeight.get('1M')).toBeGreaterThan(0);
    expect(h.client.transport.rateLimiter.orderCount.get('10S')).toBeGreaterThan(0);
    expect(await metricValue(h.metrics, 'binanceus_used_weight', { interval: '1M' })).toBeGreaterThan(0);
  });

  it('honours 429 Retry-After: the next request waits out the pause, then goes through', async () => {
    h.sim.control.faults.apply({ rateLimit: { status: 429, retryAfterSeconds: 1, count: 1 } });
    const error = await h.client.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceUsRateLimitError);
    expect(error).toMatchObject({ httpStatus: 429, venueCode: -1003, retryAfterMs: 1000 });
    const started = Date.now();
    await h.client.ping();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await metricValue(h.metrics, 'binanceus_rate_limit_pauses_total', { status: '429' })).toBe(1);
  });

  it('fails fast with ResourceExhausted during a 418 ban longer than it may wait', async () => {
    const client = new BinanceUsRestClient({
      config: { ...h.config, maxPauseWaitMs: 100 },
      credentials: new BinanceUsCredentials(h.sim.apiKey, h.sim.apiSecret),
      logger: h.logger,
      metrics: new MetricsRegistry(),
    });
    h.sim.control.faults.apply({ rateLimit: { status: 418, retryAfterSeconds: 1, count: 1 } });
    await expect(client.ping()).rejects.toMatchObject({ httpStatus: 418 });
    const started = Date.now();
    const error = await client.ping().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect((error as BinanceUsRateLimitError).retryAfterMs).toBeGreaterThan(500);
  });

  it('resolves a 5xx after the order was placed by querying, never by resending', async () => {
    h.sim.control.faults.apply({ serverError: { status: 503, count: 1, paths: [ORDER], executed: true } });
    await expect(h.client.newOrder(limitOrder('unk-raw'))).rejects.toBeInstanceOf(
      BinanceUsUnknownOutcomeError,
    );
    expect(h.sim.control.acceptedCount('unk-raw')).toBe(1);

    h.sim.control.faults.apply({ serverError: { status: 500, count: 1, paths: [ORDER], executed: true } });
    const result = await placeOrderSafely(h.client, limitOrder('unk-1'), {
      logger: h.logger,
      queryDelayMs: 10,
    });
    expect(result.outcome).toBe('found');
    expect(result.outcome === 'found' && result.order.status).toBe('NEW');
    expect(h.sim.control.acceptedCount('unk-1')).toBe(1);
    expect(
      h.sim.control.engine
        .openOrders(h.sim.control.accountId, 'BTCUSD')
        .filter((o) => o.clientOrderId === 'unk-1'),
    ).toHaveLength(1);
  });

  it('resends after a 5xx only when the venue says the order does not exist (-2013)', async () => {
    h.sim.control.faults.apply({ serverError: { status: 502, count: 1, paths: [ORDER], executed: false } });
    const result = await placeOrderSafely(h.client, limitOrder('unk-2'), {
      logger: h.logger,
      queryDelayMs: 10,
    });
    expect(result.outcome).toBe('placed');
    expect(h.sim.control.acceptedCount('unk-2')).toBe(1);
  });

  it('resolves a silently lost acknowledgement the same way', async () => {
    h.sim.control.faults.apply({ lostAck: { count: 1, paths: [ORDER] } });
    const result = await placeOrderSafely(h.client, limitOrder('lost-1'), {
      logger: h.logger,
      queryDelayMs: 10,
    });
    expect(result.outcome).toBe('found');
    expect(h.sim.control.acceptedCount('lost-1')).toBe(1);
  });

  it('keeps no circuit of its own: after consecutive 5xx every call still reaches the venue', async () => {
    // The venue actor's circuit (actors/venue/venue-circuit.ts) is the only one on this path; a
    // second one here would count the same outage twice and fail fast on its own schedule.
    const metrics = new MetricsRegistry();
    const client = new BinanceUsRestClient({
      config: h.config,
      credentials: new BinanceUsCredentials(h.sim.apiKey, h.sim.apiSecret),
      logger: h.logger,
      metrics,
    });
    h.sim.control.faults.apply({ serverError: { status: 503, count: 8, executed: false } });
    for (let i = 0; i < 8; i++)
      await expect(client.ping()).rejects.toBeInstanceOf(BinanceUsUnknownOutcomeError);
    expect(await metricValue(metrics, 'binanceus_requests_total', { status: '503' })).toBe(8);
    await client.ping();
    expect(await metricValue(metrics, 'binanceus_requests_total', { status: '200' })).toBe(1);
  });
});
