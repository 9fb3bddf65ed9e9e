import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { SignJWT, calculateJwkThumbprint, decodeProtectedHeader, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../gateway/index.ts';
import { ListAccountsRequest, ListAccountsResponse } from '../../../proto/gen/ninja/v1/account.ts';
import { WsClient, signUp, startGatewayNode } from './gateway-harness.ts';
import type { GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let alice: TestUser;
let bob: TestUser;
let signingKey: KeyObject;
let kid: string;

beforeAll(async () => {
  gw = await startGatewayNode();
  alice = await signUp(gw, 'alice@example.com');
  bob = await signUp(gw, 'bob@example.com');
  signingKey = createPrivateKey(gw.node.config.secrets.jwtSigningKeys[0]);
  kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(signingKey)), 'sha256');
});
afterAll(async () => {
  await gw.stop();
});

const now = () => Math.floor(Date.now() / 1000);

interface Forgery {
  readonly alg?: string;
  readonly kid?: string;
  readonly key?: KeyObject | Uint8Array;
  readonly claims?: Record<string, unknown>;
  readonly iss?: string;
  readonly aud?: string;
  readonly iat?: number;
  readonly nbf?: number;
  readonly exp?: number;
}

/** A token signed as the gateway signs, with one thing changed. */
function forge(f: Forgery = {}): Promise<string> {
  const t = now();
  return new SignJWT({ roles: ['trader'], sid: '5c2e4b0a-9d3f-4e61-8a7b-2f1c0d9e8b7a', ...f.claims })
    .setProtectedHeader({ alg: f.alg ?? 'EdDSA', kid: f.kid ?? kid, typ: 'JWT' })
    .setIssuer(f.iss ?? TOKEN_ISSUER)
    .setAudience(f.aud ?? TOKEN_AUDIENCE)
    .setSubject(alice.userId)
    .setIssuedAt(f.iat ?? t)
    .setNotBefore(f.nbf ?? t)
    .setExpirationTime(f.exp ?? t + 120)
    .sign(f.key ?? signingKey);
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function statusOf(token: string): Promise<string> {
  const result = await gw.grpc.unary(
    '/ninja.v1.AccountService/ListAccounts',
    {},
    ListAccountsRequest,
    ListAccountsResponse,
    {
      token,
    },
  );
  return result.ok ? 'OK' : (status[result.code] ?? String(result.code));
}

describe('access token forgeries', () => {
  it('accepts a token signed as the gateway signs (the control: these checks can pass)', async () => {
    expect(decodeProtectedHeader(alice.token).kid).toBe(kid);
    expect(await statusOf(await forge())).toBe('OK');
  });

  it('refuses a tampered payload (another user, more roles) under the original signature', async () => {
    const [header, payload, signature] = alice.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const asBob = `${header}.${b64({ ...claims, sub: bob.userId })}.${signature}`;
    const asAdmin = `${header}.${b64({ ...claims, roles: ['admin'] })}.${signature}`;
    expect(await statusOf(asBob)).toBe('UNAUTHENTICATED');
    expect(await statusOf(asAdmin)).toBe('UNAUTHENTICATED');
    expect(await statusOf(`${header}.${payload}.${(signature ?? '').slice(0, -4)}AAAA`)).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses alg none', async () => {
    const [, payload] = alice.token.split('.');
    expect(await statusOf(`${b64({ alg: 'none', kid, typ: 'JWT' })}.${payload}.`)).toBe('UNAUTHENTICATED');
    expect(await statusOf(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown kid, and a foreign key claiming the real kid', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(await statusOf(await forge({ key: privateKey, kid: 'no-such-key' }))).toBe('UNAUTHENTICATED');
    expect(await statusOf(await forge({ key: privateKey }))).toBe('UNAUTHENTICATED');
  });

  it('refuses HS256 keyed with the public key (algorithm confusion)', async () => {
    const publicBytes = new TextEncoder().encode(
      JSON.stringify(await exportJWK(createPublicKey(signingKey))),
    );
    expect(await statusOf(await forge({ alg: 'HS256', key: publicBytes }))).toBe('UNAUTHENTICATED');
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    expect(await statusOf(await forge({ iat: now() - 3_600, nbf: now() - 3_600, exp: now() - 60 }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await statusOf(await forge({ nbf: now() + 600, exp: now() + 900 }))).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong audience or issuer', async () => {
    expect(await statusOf(await forge({ aud: 'some-other-api' }))).toBe('UNAUTHENTICATED');
    expect(await statusOf(await forge({ iss: 'https://evil.example' }))).toBe('UNAUTHENTICATED');
  });

  it('refuses a forged token on a WebSocket upgrade', async () => {
    await expect(
      WsClient.open(gw.wsUrl, { authorization: `Bearer ${await forge({ aud: 'x' })}` }),
    ).rejects.toThrow('HTTP 401');
  });
});
