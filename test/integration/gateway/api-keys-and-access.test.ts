import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetBalancesRequest,
  GetBalancesResponse,
  ListAccountsRequest,
  ListAccountsResponse,
} from '../../../proto/gen/ninja/v1/account.ts';
import {
  ApiKeyScope,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  ListApiKeysRequest,
  ListApiKeysResponse,
  RevokeApiKeyRequest,
  RevokeApiKeyResponse,
} from '../../../proto/gen/ninja/v1/auth.ts';
import { OrderSide, OrderType, TimeInForce } from '../../../proto/gen/ninja/v1/order.ts';
import { PlaceOrderRequest, PlaceOrderResponse } from '../../../proto/gen/ninja/v1/trading.ts';
import { ApiKeys } from '../../../gateway/auth/api-keys.ts';
import { WsClient, signUp, startGatewayNode } from './gateway-harness.ts';
import type { CallResult, Credentials, GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  gw = await startGatewayNode();
  alice = await signUp(gw, 'alice@example.com');
  bob = await signUp(gw, 'bob@example.com');
});
afterAll(async () => {
  await gw.stop();
});

const createKey = (auth: Credentials, scopes: ApiKeyScope[], allowedIps: string[] = []) =>
  gw.grpc.unary(
    '/ninja.v1.AuthService/CreateApiKey',
    { scopes, allowedIps },
    CreateApiKeyRequest,
    CreateApiKeyResponse,
    auth,
  );

async function keyOf(auth: Credentials, scopes: ApiKeyScope[], allowedIps: string[] = []): Promise<string> {
  const result = await createKey(auth, scopes, allowedIps);
  if (!result.ok) throw new Error(`CreateApiKey: ${result.details}`);
  return result.value.credential;
}

function order(accountId: string): PlaceOrderRequest {
  return PlaceOrderRequest.fromPartial({
    accountId,
    instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
    side: OrderSide.ORDER_SIDE_BUY,
    type: OrderType.ORDER_TYPE_LIMIT,
    timeInForce: TimeInForce.TIME_IN_FORCE_GTC,
    quantity: { value: '0.010' },
    price: { value: '50000.00' },
  });
}

const placeOrder = (request: PlaceOrderRequest, auth: Credentials) =>
  gw.grpc.unary('/ninja.v1.TradingService/PlaceOrder', request, PlaceOrderRequest, PlaceOrderResponse, auth);
const balances = (accountId: string, auth: Credentials) =>
  gw.grpc.unary(
    '/ninja.v1.AccountService/GetBalances',
    { accountId },
    GetBalancesRequest,
    GetBalancesResponse,
    auth,
  );
const listAccounts = (auth: Credentials) =>
  gw.grpc.unary('/ninja.v1.AccountService/ListAccounts', {}, ListAccountsRequest, ListAccountsResponse, auth);

function codeOf(result: CallResult<unknown>): string {
  return result.ok ? 'OK' : (status[result.code] ?? String(result.code));
}

describe('API keys', () => {
  it('are shown once, listed without their secret, and checked against their scope', async () => {
    const created = await createKey({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ]);
    if (!created.ok) throw new Error(created.details);
    const { credential, apiKey } = created.value;
    expect(credential).toMatch(/^ngk_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const listed = await gw.grpc.unary(
      '/ninja.v1.AuthService/ListApiKeys',
      { includeRevoked: false },
      ListApiKeysRequest,
      ListApiKeysResponse,
      { token: alice.token },
    );
    expect(listed.ok && listed.value.apiKeys.map((key) => key.keyId)).toEqual([apiKey?.keyId]);
    expect(listed.ok && JSON.stringify(ListApiKeysResponse.toJSON(listed.value))).not.toContain(
      credential.split('.')[1],
    );
    const stored = await gw.database.pool.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM api_keys WHERE key_id = $1',
      [apiKey?.keyId],
    );
    expect(stored.rows[0]?.secret_hash).not.toContain(credential.split('.')[1]);

    const readKey = { apiKey: credential };
    expect(codeOf(await listAccounts(readKey))).toBe('OK');
    expect(codeOf(await placeOrder(order(alice.accountId), readKey))).toBe('PERMISSION_DENIED');
    // A read key cannot manage keys (that needs a session or the admin scope).
    expect(codeOf(await createKey(readKey, [ApiKeyScope.API_KEY_SCOPE_READ]))).toBe('PERMISSION_DENIED');

    const tradeKey = {
      apiKey: await keyOf({ token: alice.token }, [
        ApiKeyScope.API_KEY_SCOPE_READ,
        ApiKeyScope.API_KEY_SCOPE_TRADE,
      ]),
    };
    // Authenticated, authorised and valid: answered by the order manager (no member hosts venues).
    expect(codeOf(await placeOrder(order(alice.accountId), tradeKey))).toBe('UNIMPLEMENTED');
  });

  it('never grant more than the user has', async () => {
    expect(codeOf(await createKey({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_ADMIN]))).toBe(
      'PERMISSION_DENIED',
    );
    expect(codeOf(await createKey({ token: alice.token }, []))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(
        await createKey({ token: alice.token }, [
          ApiKeyScope.API_KEY_SCOPE_READ,
          ApiKeyScope.API_KEY_SCOPE_READ,
        ]),
      ),
    ).toBe('INVALID_ARGUMENT');
  });

  it('honour their allowed-address list', async () => {
    const elsewhere = await keyOf({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ], ['10.0.0.0/8']);
    expect(codeOf(await listAccounts({ apiKey: elsewhere }))).toBe('UNAUTHENTICATED');
    const here = await keyOf({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ], ['127.0.0.1', '::1']);
    expect(codeOf(await listAccounts({ apiKey: here }))).toBe('OK');
    const bad = await createKey({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ], ['300.1.1.1']);
    expect(bad).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT, field: 'allowed_ips.0' });
  });

  it('stop working once revoked; another user cannot revoke them', async () => {
    const created = await createKey({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ]);
    if (!created.ok) throw new Error(created.details);
    const keyId = created.value.apiKey?.keyId ?? '';
    const revoke = (token: string) =>
      gw.grpc.unary(
        '/ninja.v1.AuthService/RevokeApiKey',
        { keyId },
        RevokeApiKeyRequest,
        RevokeApiKeyResponse,
        { token },
      );
    expect(codeOf(await revoke(bob.token))).toBe('NOT_FOUND');
    expect(codeOf(await listAccounts({ apiKey: created.value.credential }))).toBe('OK');
    expect(codeOf(await revoke(alice.token))).toBe('OK');
    expect(codeOf(await listAccounts({ apiKey: created.value.credential }))).toBe('UNAUTHENTICATED');
  });

  it('stop working on another node within its key-cache lifetime once revoked', async () => {
    const created = await createKey({ token: alice.token }, [ApiKeyScope.API_KEY_SCOPE_READ]);
    if (!created.ok) throw new Error(created.details);
    const { credential } = created.value;
    // Node B: its own key cache on the shared database, on a clock the test moves itself.
    let nowMs = Date.now();
    const backgroundErrors: unknown[] = [];
    const keysB = new ApiKeys(gw.database.pool, (error) => backgroundErrors.push(error), {
      cacheTtlMs: 1_000,
      now: () => nowMs,
    });
    expect((await keysB.authenticate(credential, '127.0.0.1')).record.userId).toBe(alice.userId);
    const revoked = await gw.grpc.unary(
      '/ninja.v1.AuthService/RevokeApiKey',
      { keyId: created.value.apiKey?.keyId ?? '' },
      RevokeApiKeyRequest,
      RevokeApiKeyResponse,
      { token: alice.token },
    );
    expect(codeOf(revoked)).toBe('OK');
    // Within the cache lifetime node B may still accept it: that is the stated bound.
    nowMs += 999;
    expect((await keysB.authenticate(credential, '127.0.0.1')).record.userId).toBe(alice.userId);
    nowMs += 1;
    await expect(keysB.authenticate(credential, '127.0.0.1')).rejects.toThrow('API key is revoked');
    expect(backgroundErrors).toEqual([]);
  });

  it('keep the label their owner gives them (migration 0002)', async () => {
    const keys = gw.node.gateway?.apiKeys;
    if (keys === undefined) throw new Error('the node has no gateway');
    const { record } = await keys.create(alice.userId, ['read'], [], 'trading bot');
    expect(record.label).toBe('trading bot');
    const listed = await keys.list(alice.userId, false);
    expect(listed.find((key) => key.keyId === record.keyId)?.label).toBe('trading bot');
    await expect(keys.create(alice.userId, ['read'], [], 'x'.repeat(65))).rejects.toThrow(
      /api_keys_label_check/,
    );
    expect((await keys.create(alice.userId, ['read'], [])).record.label).toBe('');
  });

  it('refuse a wrong secret and malformed credentials', async () => {
    const credential = await keyOf({ token: bob.token }, [ApiKeyScope.API_KEY_SCOPE_READ]);
    const [keyId] = credential.split('.');
    expect(codeOf(await listAccounts({ apiKey: `${keyId}.${'A'.repeat(43)}` }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await listAccounts({ apiKey: 'nonsense' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await listAccounts({}))).toBe('UNAUTHENTICATED');
  });
});

describe('account ownership', () => {
  it('lets a user see and trade only their own accounts', async () => {
    const own = await listAccounts({ token: bob.token });
    expect(own.ok && own.value.accounts.map((account) => account.accountId)).toEqual([bob.accountId]);
    expect(codeOf(await balances(alice.accountId, { token: bob.token }))).toBe('PERMISSION_DENIED');
    expect(codeOf(await placeOrder(order(alice.accountId), { token: bob.token }))).toBe('PERMISSION_DENIED');
    // A missing account gets the same answer as someone else's: ids cannot be probed.
    expect(codeOf(await balances('7d9f0c1e-3b2a-4c5d-8e6f-0a1b2c3d4e5f', { token: bob.token }))).toBe(
      'PERMISSION_DENIED',
    );
    expect(codeOf(await balances(bob.accountId, { token: bob.token }))).toBe('OK');
  });

  it('is enforced over WebSocket too', async () => {
    const ws = await WsClient.open(gw.wsUrl, { authorization: `Bearer ${bob.token}` });
    try {
      const foreign = await ws.call('ninja.v1.AccountService/GetBalances', { accountId: alice.accountId });
      expect(foreign).toMatchObject({ error: { code: 'PERMISSION_DENIED' } });
    } finally {
      ws.close();
    }
  });
});

describe('audit', () => {
  it('records every order-affecting call with its principal and correlation id, and no secret', async () => {
    const before = await gw.database.pool.query('SELECT count(*) AS n FROM audit_log WHERE action = $1', [
      'order.place',
    ]);
    expect(codeOf(await placeOrder(order(alice.accountId), { token: alice.token }))).toBe('UNIMPLEMENTED');
    const rows = await gw.database.pool.query<{
      actor_user_id: string;
      actor: string;
      correlation_id: string;
      details: unknown;
    }>(
      'SELECT actor_user_id, actor, correlation_id, details FROM audit_log WHERE action = $1 ORDER BY occurred_at',
      ['order.place'],
    );
    expect(rows.rows.length).toBe(Number((before.rows[0] as { n: string }).n) + 1);
    const last = rows.rows.at(-1);
    expect(last).toMatchObject({ actor_user_id: alice.userId, actor: 'user' });
    expect(last?.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(last?.details)).not.toContain(alice.token);
  });
});
