import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinanceUsSimulator } from '../../../../venues/sim/binanceus/index.ts';
import type { BinanceUsSimulator } from '../../../../venues/sim/binanceus/index.ts';
import {
  BinanceUsAuthenticationError,
  BinanceUsCredentials,
  BinanceUsRestClient,
} from '../../../../venues/binanceus/index.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import { testLogger } from '../../../support/index.ts';

// The documented example (../shared/venues/binanceus.md A2).
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const TOTAL =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const DOC_TIME = 1499827319559;

describe('Binance.US simulator request security', () => {
  let sim: BinanceUsSimulator;
  const logger = testLogger('binanceus-signing');

  beforeAll(async () => {
    sim = await startBinanceUsSimulator({
      port: 0,
      symbols: ['LTCBTC'],
      apiKey: API_KEY,
      apiSecret: SECRET,
      logger,
    });
  });
  afterAll(async () => sim.close());

  // Put the simulator's clock just after the documented timestamp so the example is inside recvWindow.
  const atDocumentedTime = (): void => {
    sim.control.faults.apply({ clockSkewMs: DOC_TIME + 100 - Date.now() });
  };
  const post = (query: string, body: string, key = API_KEY): Promise<Response> =>
    fetch(`${sim.restUrl}/api/v3/order/test${query.length > 0 ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': key, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('accepts the documented signature in the body, in the query string and split across both', async () => {
    atDocumentedTime();
    for (const [query, body] of [
      ['', `${TOTAL}&signature=${SIGNATURE}`],
      [`${TOTAL}&signature=${SIGNATURE}`, ''],
      [
        TOTAL.slice(0, TOTAL.indexOf('&quantity')),
        `${TOTAL.slice(TOTAL.indexOf('&quantity'))}&signature=${SIGNATURE}`,
      ],
      ['', `${TOTAL}&signature=${SIGNATURE.toUpperCase()}`],
    ] as const) {
      const response = await post(query, body);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 200,
        body: {},
      });
    }
  });

  it('rejects a tampered request with -1022 and the documented body', async () => {
    atDocumentedTime();
    const response = await post('', `${TOTAL.replace('quantity=1', 'quantity=2')}&signature=${SIGNATURE}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
  });

  it('rejects a timestamp outside recvWindow with -1021, a missing key with -2014 and an unknown key with -2015', async () => {
    sim.control.faults.apply({ clockSkewMs: DOC_TIME + 6000 - Date.now() });
    const late = await post('', `${TOTAL}&signature=${SIGNATURE}`);
    expect(await late.json()).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });
    sim.control.faults.apply({ clockSkewMs: DOC_TIME - 2000 - Date.now() });
    const early = await post('', `${TOTAL}&signature=${SIGNATURE}`);
    expect(((await early.json()) as { code: number }).code).toBe(-1021);
    atDocumentedTime();
    const noKey = await fetch(`${sim.restUrl}/api/v3/order/test`, {
      method: 'POST',
      body: `${TOTAL}&signature=${SIGNATURE}`,
    });
    expect(await noKey.json()).toEqual({ code: -2014, msg: 'API-key format invalid.' });
    const badKey = await post('', `${TOTAL}&signature=${SIGNATURE}`, 'A'.repeat(64));
    expect(await badKey.json()).toEqual({
      code: -2015,
      msg: 'Invalid API-key, IP, or permissions for action.',
    });
    const noTimestamp = await post('', 'symbol=LTCBTC&signature=00');
    expect(await noTimestamp.json()).toMatchObject({ code: -1102 });
  });

  it('maps -1022 to a typed error and recovers from -1021 by resyncing the server time once', async () => {
    sim.control.faults.clear();
    const metrics = new MetricsRegistry();
    const config = { urls: { rest: sim.restUrl, ws: sim.wsUrl } };
    const wrong = new BinanceUsRestClient({
      config,
      credentials: new BinanceUsCredentials(API_KEY, 'not-the-secret'),
      logger,
      metrics,
    });
    await expect(wrong.openOrders('LTCBTC')).rejects.toBeInstanceOf(BinanceUsAuthenticationError);

    const client = new BinanceUsRestClient({
      config,
      credentials: new BinanceUsCredentials(API_KEY, SECRET),
      logger,
      metrics,
    });
    sim.control.faults.apply({ clockSkewMs: 15_000 });
    expect(await client.openOrders('LTCBTC')).toEqual([]);
    expect(client.transport.clock.offsetMs).toBeGreaterThan(14_000);
    expect(client.transport.clock.offsetMs).toBeLessThan(16_000);
  });
});
