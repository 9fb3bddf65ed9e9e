import { status } from '@grpc/grpc-js';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ListApiKeysRequest,
  ListApiKeysResponse,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  LogoutResponse,
  RefreshRequest,
  RefreshResponse,
  RegisterRequest,
  RegisterResponse,
} from '../../../proto/gen/ninja/v1/auth.ts';
import { AccessTokens } from '../../../gateway/auth/access-tokens.ts';
import { PasswordHasher } from '../../../gateway/auth/password-hasher.ts';
import { RefreshTokens } from '../../../gateway/auth/refresh-tokens.ts';
import { Sessions } from '../../../gateway/auth/sessions.ts';
import { UserStore } from '../../../gateway/auth/user-store.ts';
import { WsClient, startGatewayNode } from './gateway-harness.ts';
import type { CallResult, GatewayTestNode } from './gateway-harness.ts';

const AUTH = '/ninja.v1.AuthService';
let gw: GatewayTestNode;

beforeAll(async () => {
  gw = await startGatewayNode();
});
afterAll(async () => {
  await gw.stop();
});

function value<T>(result: CallResult<T>): T {
  if (!result.ok) throw new Error(`call failed: ${status[result.code]} ${result.details}`);
  return result.value;
}

const register = (email: string, password: string) =>
  gw.grpc.unary(`${AUTH}/Register`, { email, password }, RegisterRequest, RegisterResponse);
const login = (email: string, password: string) =>
  gw.grpc.unary(`${AUTH}/Login`, { email, password }, LoginRequest, LoginResponse);
const refresh = (refreshToken: string) =>
  gw.grpc.unary(`${AUTH}/Refresh`, { refreshToken }, RefreshRequest, RefreshResponse);
const listKeys = (token: string) =>
  gw.grpc.unary(`${AUTH}/ListApiKeys`, { includeRevoked: false }, ListApiKeysRequest, ListApiKeysResponse, {
    token,
  });

async function auditActions(userId: string): Promise<string[]> {
  const rows = await gw.database.pool.query<{ action: string }>(
    'SELECT action FROM audit_log WHERE actor_user_id = $1 ORDER BY occurred_at, action',
    [userId],
  );
  return rows.rows.map((row) => row.action);
}

describe('gateway authentication flows', () => {
  it('registers, logs in, and calls with the access token', async () => {
    const user = value(await register('Alice@Example.com', 'correct horse battery')).user;
    expect(user?.email).toBe('alice@example.com');
    const session = value(await login('alice@example.com', 'correct horse battery'));
    expect(session.tokens?.accessToken).toMatch(/^eyJ/);
    expect(session.tokens?.refreshToken).toHaveLength(43);
    expect(value(await listKeys(session.tokens?.accessToken ?? '')).apiKeys).toEqual([]);
    expect(await auditActions(user?.userId ?? '')).toEqual(
      expect.arrayContaining(['auth.register', 'auth.login']),
    );
  });

  it('answers a wrong password and an unknown user alike, and refuses a taken e-mail', async () => {
    value(await register('bob@example.com', 'bobs long password'));
    const wrong = await login('bob@example.com', 'not bobs password');
    const unknown = await login('nobody@example.com', 'not bobs password');
    expect(wrong).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
    expect(unknown).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
    expect(!wrong.ok && !unknown.ok && wrong.details === unknown.details).toBe(true);
    expect(await register('bob@example.com', 'another long password')).toMatchObject({
      ok: false,
      code: status.ALREADY_EXISTS,
    });
  });

  it('refuses bad registrations naming the field, and creates nobody', async () => {
    const before = await gw.database.pool.query('SELECT count(*) AS n FROM users');
    expect(await register('not-an-email', 'long enough password')).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'email',
    });
    expect(await register('carol@example.com', 'short')).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'password',
    });
    const after = await gw.database.pool.query('SELECT count(*) AS n FROM users');
    expect(after.rows).toEqual(before.rows);
  });

  it('rotates refresh tokens once each; reusing a rotated one revokes the whole login', async () => {
    value(await register('dave@example.com', 'daves long password'));
    const first = value(await login('dave@example.com', 'daves long password')).tokens?.refreshToken ?? '';
    const second = value(await refresh(first)).tokens?.refreshToken ?? '';
    const third = value(await refresh(second)).tokens?.refreshToken ?? '';
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await refresh(first)).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
    // The thief reused `first`: the legitimate holder's newest token is revoked with its family.
    expect(await refresh(third)).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
    const userId =
      (await gw.database.pool.query<{ id: string }>("SELECT id FROM users WHERE email = 'dave@example.com'"))
        .rows[0]?.id ?? '';
    expect(await auditActions(userId)).toContain('auth.refresh_reuse');
    // Another login is a new family and works.
    const again = value(await login('dave@example.com', 'daves long password')).tokens?.refreshToken ?? '';
    expect((await refresh(again)).ok).toBe(true);
  });

  it('logs out: the login refresh token no longer works', async () => {
    value(await register('erin@example.com', 'erins long password'));
    const token = value(await login('erin@example.com', 'erins long password')).tokens?.refreshToken ?? '';
    value(
      await gw.grpc.unary(
        `${AUTH}/Logout`,
        { refreshToken: token, allSessions: false },
        LogoutRequest,
        LogoutResponse,
      ),
    );
    expect(await refresh(token)).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
  });

  it('logs out: the access token of that login is refused at once, other logins keep working', async () => {
    value(await register('ivy@example.com', 'ivys long password'));
    const ended = value(await login('ivy@example.com', 'ivys long password')).tokens;
    const other = value(await login('ivy@example.com', 'ivys long password')).tokens;
    expect((await listKeys(ended?.accessToken ?? '')).ok).toBe(true);
    value(
      await gw.grpc.unary(
        `${AUTH}/Logout`,
        { refreshToken: ended?.refreshToken ?? '', allSessions: false },
        LogoutRequest,
        LogoutResponse,
      ),
    );
    expect(await listKeys(ended?.accessToken ?? '')).toMatchObject({
      ok: false,
      code: status.UNAUTHENTICATED,
      details: expect.stringContaining('login was ended') as unknown,
    });
    expect((await listKeys(other?.accessToken ?? '')).ok).toBe(true);
    // Logging out everywhere ends the other login too.
    value(
      await gw.grpc.unary(
        `${AUTH}/Logout`,
        { refreshToken: other?.refreshToken ?? '', allSessions: true },
        LogoutRequest,
        LogoutResponse,
      ),
    );
    expect(await listKeys(other?.accessToken ?? '')).toMatchObject({
      ok: false,
      code: status.UNAUTHENTICATED,
    });
  });

  it('refuses the access tokens of a login whose refresh token was reused', async () => {
    value(await register('jack@example.com', 'jacks long password'));
    const first = value(await login('jack@example.com', 'jacks long password')).tokens;
    const rotated = value(await refresh(first?.refreshToken ?? '')).tokens;
    expect((await listKeys(rotated?.accessToken ?? '')).ok).toBe(true);
    expect(await refresh(first?.refreshToken ?? '')).toMatchObject({
      ok: false,
      code: status.UNAUTHENTICATED,
    });
    expect(await listKeys(rotated?.accessToken ?? '')).toMatchObject({
      ok: false,
      code: status.UNAUTHENTICATED,
    });
  });

  it('ends a login on another node within the revocation interval (a second node on the same database)', async () => {
    value(await register('kate@example.com', 'kates long password'));
    const tokens = value(await login('kate@example.com', 'kates long password')).tokens;
    const accessToken = tokens?.accessToken ?? '';
    const keyring = gw.node.gateway?.keyring;
    if (keyring === undefined) throw new Error('the node has no gateway');
    // Node B: its own auth core (caches, revoked-login copy) on the shared database and keys, on a
    // clock the test moves itself.
    let nowMs = Date.now();
    const now = () => nowMs;
    const tokensB = new AccessTokens(keyring, { lifetimeSeconds: 300, now });
    const sessionsB = new Sessions({
      users: new UserStore(gw.database.pool),
      hasher: new PasswordHasher(),
      accessTokens: tokensB,
      refreshTokens: new RefreshTokens(gw.database.pool, 3600),
      onEvent: () => Promise.resolve(),
      revocationIntervalMs: 1_000,
      now,
    });
    expect((await tokensB.verify(accessToken)).sessionId).toBeTruthy();

    value(
      await gw.grpc.unary(
        `${AUTH}/Logout`,
        { refreshToken: tokens?.refreshToken ?? '', allSessions: false },
        LogoutRequest,
        LogoutResponse,
      ),
    );
    // Within the interval node B still answers from its copy: that is the stated bound.
    nowMs += 999;
    expect((await tokensB.verify(accessToken)).userId).toBeTruthy();
    nowMs += 1;
    await expect(tokensB.verify(accessToken)).rejects.toThrow(/login was ended/);
    expect(sessionsB.revocations).toBeDefined();
  });

  it('limits login attempts per account', async () => {
    value(await register('frank@example.com', 'franks long password'));
    const codes: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const result = await login('frank@example.com', 'wrong wrong wrong');
      codes.push(result.ok ? status.OK : result.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill(status.UNAUTHENTICATED));
    expect(codes.slice(5)).toEqual([status.RESOURCE_EXHAUSTED, status.RESOURCE_EXHAUSTED]);
  });

  it('publishes its public keys as a JWKS, including the kid tokens carry', async () => {
    value(await register('gina@example.com', 'ginas long password'));
    const token = value(await login('gina@example.com', 'ginas long password')).tokens?.accessToken ?? '';
    const jwks = (await (await fetch(`${gw.httpBase}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(token).kid);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('serves the same operations over WebSocket', async () => {
    const anonymous = await WsClient.open(gw.wsUrl);
    try {
      const registered = await anonymous.call('ninja.v1.AuthService/Register', {
        email: 'hank@example.com',
        password: 'hanks long password',
      });
      expect(registered).toMatchObject({ result: { user: { email: 'hank@example.com' } } });
      const loggedIn = await anonymous.call('ninja.v1.AuthService/Login', {
        email: 'hank@example.com',
        password: 'hanks long password',
      });
      const accessToken = (loggedIn['result'] as { tokens: { accessToken: string } }).tokens.accessToken;
      expect(await anonymous.call('ninja.v1.AuthService/ListApiKeys', {})).toMatchObject({
        error: { code: 'UNAUTHENTICATED' },
      });
      expect(await anonymous.call('authenticate', { authorization: `Bearer ${accessToken}` })).toMatchObject({
        result: { scopes: ['read', 'trade'] },
      });
      expect(await anonymous.call('ninja.v1.AuthService/ListApiKeys', {})).toMatchObject({ result: {} });
      expect(
        await anonymous.call('ninja.v1.AuthService/Login', { email: 'hank@example.com', pasword: 'x' }),
      ).toMatchObject({
        error: { code: 'INVALID_ARGUMENT', field: 'pasword' },
      });
      expect(await anonymous.send('null', '{not json')).toMatchObject({
        error: { code: 'INVALID_ARGUMENT', field: 'message' },
      });

      const onConnect = await WsClient.open(gw.wsUrl, { authorization: `Bearer ${accessToken}` });
      expect(await onConnect.call('ninja.v1.AuthService/ListApiKeys', {})).toMatchObject({ result: {} });
      onConnect.close();
      await expect(WsClient.open(gw.wsUrl, { authorization: 'Bearer not.a.token' })).rejects.toThrow(
        'HTTP 401',
      );
    } finally {
      anonymous.close();
    }
  });
});
