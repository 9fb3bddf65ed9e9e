import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../../domain/errors.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import {
  CoinbaseAuthenticationError,
  CoinbaseCredentials,
  CoinbaseRestClient,
  restJwt,
  websocketJwt,
} from '../../../../venues/coinbase/index.ts';
import { startCoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import type { CoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import { testLogger } from '../../../support/index.ts';
import { until } from './harness.ts';

const ACCOUNTS = '/api/v3/brokerage/accounts';

describe('Coinbase CDP JWT authentication: connector tokens and simulator verification', () => {
  let sim: CoinbaseSimulator;
  let credentials: CoinbaseCredentials;
  let host: string;

  beforeAll(async () => {
    sim = await startCoinbaseSimulator({
      port: 0,
      seed: 3,
      logger: testLogger('coinbase-auth'),
      subscribeDeadlineMs: 300,
    });
    credentials = new CoinbaseCredentials(sim.keyName, sim.privateKeyPem ?? '');
    host = new URL(sim.restUrl).host;
  });
  afterAll(async () => {
    await sim.close();
  });

  const call = (jwt: string, path = ACCOUNTS): Promise<Response> =>
    fetch(`${sim.restUrl}${path}`, { headers: { Authorization: `Bearer ${jwt}` } });

  it('a REST JWT verifies with the public key and carries the documented header and claims', async () => {
    const now = Date.now();
    const jwt = await restJwt(credentials, 'GET', 'api.coinbase.com', `${ACCOUNTS}?limit=1`, { now });
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'ES256', kid: sim.keyName, typ: 'JWT' });
    expect(header['nonce']).toMatch(/^[0-9a-f]{64}$/);
    const { payload } = await jwtVerify(jwt, createPublicKey(sim.publicKeyPem), {
      currentDate: new Date(now),
    });
    const t = Math.floor(now / 1000);
    expect(payload).toEqual({
      sub: sim.keyName,
      iss: 'cdp',
      nbf: t,
      exp: t + 120,
      uri: `GET api.coinbase.com${ACCOUNTS}`,
    });
  });

  it('a WebSocket JWT has the same claims without uri', async () => {
    const jwt = await websocketJwt(credentials);
    const { payload } = await jwtVerify(jwt, createPublicKey(sim.publicKeyPem));
    expect(payload['uri']).toBeUndefined();
    expect(payload['sub']).toBe(sim.keyName);
  });

  it('Ed25519 keys sign EdDSA tokens the simulator accepts', async () => {
    const pair = generateKeyPairSync('ed25519');
    sim.control.registerKey('organizations/sim-org/apiKeys/ed', pair.publicKey, sim.control.accountId);
    // Coinbase hands Ed25519 secrets out as base64 of seed‖public key (64 bytes).
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const secret = Buffer.concat([
      Buffer.from(jwk.d ?? '', 'base64url'),
      Buffer.from(jwk.x ?? '', 'base64url'),
    ]).toString('base64');
    const ed = new CoinbaseCredentials('organizations/sim-org/apiKeys/ed', secret);
    expect(ed.algorithm).toBe('EdDSA');
    const jwt = await restJwt(ed, 'GET', host, ACCOUNTS);
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
    expect((await call(jwt)).status).toBe(200);
  });

  it('accepts a fresh token for the right uri', async () => {
    const response = await call(await restJwt(credentials, 'GET', host, ACCOUNTS));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('30');
  });

  it('rejects an expired token with the documented 401 body', async () => {
    const jwt = await restJwt(credentials, 'GET', host, ACCOUNTS, { now: Date.now() - 10 * 60_000 });
    const response = await call(jwt);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'UNAUTHORIZED', code: 16, message: 'Unauthorized' });
  });

  it('rejects a token whose uri names another path, method or host', async () => {
    const otherPath = await restJwt(credentials, 'GET', host, '/api/v3/brokerage/products');
    expect((await call(otherPath)).status).toBe(401);
    const otherMethod = await restJwt(credentials, 'POST', host, ACCOUNTS);
    expect((await call(otherMethod)).status).toBe(401);
    const otherHost = await restJwt(credentials, 'GET', 'api.coinbase.com', ACCOUNTS);
    expect((await call(otherHost)).status).toBe(401);
  });

  it('rejects a token signed by another key under the registered key name', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = new CoinbaseCredentials(sim.keyName, other.privateKey);
    const response = await call(await restJwt(forged, 'GET', host, ACCOUNTS));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('the connector maps a 401 to an UnauthenticatedError', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const client = new CoinbaseRestClient({
      config: { urls: { rest: sim.restUrl, wsMarket: sim.wsMarketUrl, wsUser: sim.wsUserUrl } },
      credentials: new CoinbaseCredentials('organizations/unknown/apiKeys/x', other.privateKey),
      logger: testLogger('coinbase-auth'),
      metrics: new MetricsRegistry(),
    });
    const error = await client.accounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoinbaseAuthenticationError);
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });

  it('the user channel refuses a subscribe without a JWT, and a silent connection is closed at the deadline', async () => {
    const frames: string[] = [];
    const user = new WebSocket(sim.wsUserUrl);
    user.on('message', (d: Buffer) => frames.push(d.toString('utf8')));
    await new Promise((resolve) => user.once('open', resolve));
    user.send(JSON.stringify({ type: 'subscribe', channel: 'user' }));
    await until(() => frames.length > 0, 2000, 'an answer');
    expect(JSON.parse(frames[0] as string)).toEqual({ type: 'error', message: 'authentication failure' });
    const closed = new Promise<number>((resolve) => user.once('close', (code) => resolve(code)));
    expect(await closed).toBe(1008);
  });
});
