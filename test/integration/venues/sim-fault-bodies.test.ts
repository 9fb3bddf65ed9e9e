import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { startCoinbaseSimulator } from '../../../venues/sim/coinbase/index.ts';
import type { FaultInjector } from '../../../venues/sim/index.ts';
import { startOandaSimulator } from '../../../venues/sim/oanda/index.ts';
import { testLogger } from '../../support/index.ts';

interface Target {
  readonly name: string;
  readonly url: string;
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

/** Each simulator answers injected faults in its own venue's documented error shape. */
describe('simulator fault bodies per venue', () => {
  const targets: Record<string, Target> = {};

  beforeAll(async () => {
    const logger = testLogger('sim-fault-bodies');
    const binance = await startBinanceUsSimulator({ port: 0, seed: 1, logger, seedLevels: 0 });
    targets['binanceus'] = {
      name: 'binanceus',
      url: `${binance.restUrl}/api/v3/ping`,
      faults: binance.control.faults,
      close: () => binance.close(),
    };
    const coinbase = await startCoinbaseSimulator({ port: 0, seed: 1, logger, seedLevels: 0 });
    targets['coinbase'] = {
      name: 'coinbase',
      url: `${coinbase.restUrl}/api/v3/brokerage/market/products`,
      faults: coinbase.control.faults,
      close: () => coinbase.close(),
    };
    const oanda = await startOandaSimulator({ port: 0, seed: 1, logger, seedLevels: 0 });
    targets['oanda'] = {
      name: 'oanda',
      url: `${oanda.restUrl}/v3/accounts/${oanda.accountId}/summary`,
      faults: oanda.control.faults,
      close: () => oanda.close(),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(targets).map((t) => t.close()));
  });

  async function answer(
    venue: string,
    fault: Parameters<FaultInjector['apply']>[0],
  ): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
    const target = targets[venue];
    if (target === undefined) throw new Error(`no simulator ${venue}`);
    target.faults.apply(fault);
    const response = await fetch(target.url);
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.json(),
    };
  }

  it('Binance.US: 429 and 418 carry -1003 with Retry-After, a 5xx carries -1001', async () => {
    const limited = await answer('binanceus', { rateLimit: { status: 429, retryAfterSeconds: 3 } });
    expect(limited).toMatchObject({ status: 429, retryAfter: '3', body: { code: -1003 } });
    expect((limited.body as { msg: string }).msg).toMatch(/^Too much request weight used/);
    const banned = await answer('binanceus', { rateLimit: { status: 418, retryAfterSeconds: 120 } });
    expect(banned).toMatchObject({ status: 418, retryAfter: '120', body: { code: -1003 } });
    expect((banned.body as { msg: string }).msg).toMatch(/IP banned/);
    const failed = await answer('binanceus', { serverError: { status: 502 } });
    expect(failed).toMatchObject({ status: 502, body: { code: -1001 } });
  });

  it('Coinbase: its error JSON (error, code, message, error_details)', async () => {
    const limited = await answer('coinbase', { rateLimit: { status: 429, retryAfterSeconds: 1 } });
    expect(limited).toMatchObject({
      status: 429,
      retryAfter: '1',
      body: { error: 'RATE_LIMIT_EXCEEDED', code: 8, message: 'Too many requests' },
    });
    expect(await answer('coinbase', { serverError: { status: 503 } })).toMatchObject({
      status: 503,
      body: { error: 'UNAVAILABLE', code: 14 },
    });
    expect(await answer('coinbase', { serverError: { status: 500 } })).toMatchObject({
      status: 500,
      body: { error: 'INTERNAL', code: 13 },
    });
    expect(limited.body).not.toHaveProperty('msg');
  });

  it('OANDA: {"errorMessage"} with the injected status', async () => {
    const limited = await answer('oanda', { rateLimit: { status: 429, retryAfterSeconds: 2 } });
    expect(limited).toEqual({
      status: 429,
      retryAfter: '2',
      body: { errorMessage: 'Too many requests, rate limit exceeded.' },
    });
    const failed = await answer('oanda', { serverError: { status: 504 } });
    expect(failed.status).toBe(504);
    expect(failed.body).toEqual({
      errorMessage: expect.stringMatching(/temporarily unavailable/) as unknown,
    });
  });
});
