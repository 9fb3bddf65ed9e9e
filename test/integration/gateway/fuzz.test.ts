import { status } from '@grpc/grpc-js';
import { setTimeout as delay } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as account from '../../../proto/gen/ninja/v1/account.ts';
import * as auth from '../../../proto/gen/ninja/v1/auth.ts';
import * as marketData from '../../../proto/gen/ninja/v1/market_data.ts';
import * as trading from '../../../proto/gen/ninja/v1/trading.ts';
import { WsClient, signUp, startGatewayNode } from './gateway-harness.ts';
import type { CallResult, GatewayTestNode, TestUser } from './gateway-harness.ts';

/** Property runs per method and transport: bounded so the file stays well under 30 s. */
const RUNS = 12;

interface FuzzMethod {
  readonly path: string;
  readonly stream: boolean;
  readonly request: {
    create(): object;
    fromJSON(object: unknown): unknown;
    encode(message: never): { finish(): Uint8Array };
  };
}

interface ServiceDefinitionLike {
  readonly [method: string]: {
    readonly path: string;
    readonly responseStream: boolean;
    readonly requestSerialize: unknown;
  };
}

/** Every method of the client API, with its request message functions. */
function methodsOf(service: ServiceDefinitionLike, messages: Record<string, unknown>): FuzzMethod[] {
  return Object.values(service).map((method) => {
    const name = method.path.split('/').pop() ?? '';
    const request = messages[`${name}Request`] as FuzzMethod['request'] | undefined;
    if (request === undefined) throw new Error(`no request message for ${method.path}`);
    return { path: method.path, stream: method.responseStream, request };
  });
}

const METHODS: FuzzMethod[] = [
  ...methodsOf(auth.AuthServiceService, auth),
  ...methodsOf(trading.TradingServiceService, trading),
  ...methodsOf(marketData.MarketDataServiceService, marketData),
  ...methodsOf(account.AccountServiceService, account),
];

/** What a malformed or random call may be answered with; anything else (INTERNAL, UNKNOWN, …) fails. */
const ACCEPTABLE = new Set<number>([
  status.OK,
  status.INVALID_ARGUMENT,
  status.UNAUTHENTICATED,
  status.PERMISSION_DENIED,
  status.RESOURCE_EXHAUSTED,
  status.UNIMPLEMENTED,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  // A valid trading call on this node (no venue host, empty balances): refused by risk or venue state.
  status.FAILED_PRECONDITION,
  status.UNAVAILABLE,
]);
/**
 * A stream that passed authentication and validation may stay quiet (e.g. StreamOrderUpdates of an
 * account without orders): still open at this deadline counts as accepted.
 */
const QUIET_STREAM_MS = 2_000;
const WS_ACCEPTABLE = new Set(
  [...ACCEPTABLE].map((code) => status[code]).filter((name): name is string => name !== undefined),
);

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

/** Values that get past the first checks often enough to reach the deeper ones. */
function plausible(accountId: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(accountId),
    fc.uuid(),
    fc.constantFrom(
      '1',
      '0.5',
      '-1',
      '0',
      '1e5',
      '00.1',
      '0.0000000000000000001',
      ' 1',
      'NaN',
      '9'.repeat(80),
    ),
    fc.record({ value: fc.constantFrom('1.5', '-2', 'x', '', '0.000000000000000001') }),
    fc.record({
      symbol: fc.constantFrom('BTC-USD', 'btc-usd', '', 'A'.repeat(40)),
      venue: fc.constantFrom('paper', 'PAPER', ''),
    }),
    fc.integer({ min: -2, max: 2_000 }),
    fc.constantFrom(
      'ORDER_SIDE_BUY',
      'ORDER_TYPE_LIMIT',
      'TIME_IN_FORCE_GTD',
      'API_KEY_SCOPE_ADMIN',
      'UNRECOGNIZED',
    ),
    fc.constantFrom('2020-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday'),
    fc.array(fc.constantFrom('API_KEY_SCOPE_READ', 'ORDER_STATUS_NEW', '10.0.0.0/8', 'x', 3), {
      maxLength: 4,
    }),
    fc.boolean(),
    fc.jsonValue({ maxDepth: 2 }),
  );
}

function fieldsOf(method: FuzzMethod): string[] {
  return Object.keys(method.request.create());
}

/** Random JSON params shaped like the request (known and unknown field names, odd values). */
function paramsArbitrary(method: FuzzMethod, accountId: string): fc.Arbitrary<unknown> {
  const names = [...fieldsOf(method), 'unknownField', 'account_id'];
  return fc.oneof(
    fc.dictionary(fc.constantFrom(...names), plausible(accountId), { maxKeys: 6 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** Random bytes, or a request built from random JSON by the message's own (lenient) fromJSON. */
function bytesArbitrary(method: FuzzMethod, accountId: string): fc.Arbitrary<Buffer> {
  const random = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
  if (fieldsOf(method).length === 0) return random;
  const structured = fc
    .dictionary(fc.constantFrom(...fieldsOf(method)), plausible(accountId), { maxKeys: 6 })
    .map((json) => {
      try {
        return Buffer.from(method.request.encode(method.request.fromJSON(json) as never).finish());
      } catch {
        return Buffer.from([0xff, 0xff, 0xff]);
      }
    });
  return fc.oneof(random, structured);
}

/** The state a call must not change unless it succeeded (audit_log is append-only and excluded). */
async function snapshot(): Promise<string> {
  const tables = [
    'SELECT id, email, password_hash, roles, disabled_at FROM users ORDER BY id',
    'SELECT id, family_id, used_at, revoked_at FROM refresh_tokens ORDER BY id',
    'SELECT key_id, permissions, allowed_ips::TEXT, revoked_at FROM api_keys ORDER BY key_id',
    'SELECT id, user_id, venue, name FROM accounts ORDER BY id',
    'SELECT id FROM orders ORDER BY id',
    'SELECT account_id, asset, total FROM balances ORDER BY account_id, asset',
  ];
  const parts = await Promise.all(
    tables.map(async (sql) => JSON.stringify((await gw.database.pool.query(sql)).rows)),
  );
  return parts.join('\n');
}

describe('fuzzing every method', () => {
  it('over gRPC: no crash, only client-error statuses, nothing changed by refused calls', async () => {
    const seen = new Map<string, Set<number>>();
    for (const method of METHODS) {
      const before = await snapshot();
      let succeeded = false;
      await fc.assert(
        fc.asyncProperty(bytesArbitrary(method, alice.accountId), async (bytes) => {
          const result: CallResult<Buffer> = method.stream
            ? await gw.grpc.streamFirst(method.path, bytes, { token: alice.token }, QUIET_STREAM_MS)
            : await gw.grpc.unaryBytes(method.path, bytes, { token: alice.token });
          const quiet = method.stream && !result.ok && result.code === status.DEADLINE_EXCEEDED;
          const code = result.ok || quiet ? status.OK : result.code;
          succeeded ||= result.ok;
          seen.set(method.path, (seen.get(method.path) ?? new Set()).add(code));
          return ACCEPTABLE.has(code);
        }),
        { numRuns: RUNS },
      );
      if (!succeeded) expect(await snapshot(), `${method.path} changed the database`).toBe(before);
    }
    // Validation was reached: every method answered INVALID_ARGUMENT to something.
    const neverInvalid = METHODS.filter(
      (m) => !(seen.get(m.path)?.has(status.INVALID_ARGUMENT) ?? false) && fieldsOf(m).length > 0,
    ).map((m) => m.path);
    expect(neverInvalid).toEqual([]);
  });

  it('over WebSocket: no crash, only client-error codes, nothing changed by refused calls', async () => {
    const ws = await WsClient.open(gw.wsUrl, { authorization: `Bearer ${bob.token}` });
    let nextId = 0;
    try {
      for (const method of METHODS) {
        const before = await snapshot();
        let succeeded = false;
        const name = method.path.slice(1);
        await fc.assert(
          fc.asyncProperty(paramsArbitrary(method, bob.accountId), async (params) => {
            const id = `fuzz-${String(nextId++)}`;
            const answer = ws.send(id, JSON.stringify({ id, method: name, params }));
            const first = method.stream
              ? await Promise.race([answer, delay(QUIET_STREAM_MS).then(() => undefined)])
              : await answer;
            if (first === undefined) {
              // Accepted and quiet: cancelling it ends it with an `end` frame.
              await ws.call('cancel', { id });
              await answer;
              succeeded = true;
              return true;
            }
            const frame = first;
            if ('stream' in frame) {
              await ws.call('cancel', { id: frame['id'] });
              succeeded = true;
              return true;
            }
            if ('result' in frame) {
              succeeded = true;
              return true;
            }
            const error = frame['error'] as { code?: string } | undefined;
            return WS_ACCEPTABLE.has(error?.code ?? 'missing');
          }),
          { numRuns: RUNS },
        );
        if (!succeeded) expect(await snapshot(), `${name} changed the database`).toBe(before);
      }
      // Frames that are not requests at all.
      for (const text of [
        '',
        '[]',
        '{"id":1}',
        '{"id":"x","method":5}',
        '{"id":"y","method":"a","params":[]}',
        '\u0000',
      ]) {
        const frame = await ws.send(/"id":"?([^",}]+)/.exec(text)?.[1] ?? 'null', text);
        const code = (frame['error'] as { code?: string } | undefined)?.code;
        expect(['INVALID_ARGUMENT', 'UNIMPLEMENTED']).toContain(code);
      }
      // Still serving after all of it.
      expect(await ws.call('ninja.v1.AccountService/ListAccounts', {})).toMatchObject({ result: {} });
    } finally {
      ws.close();
    }
  });
});
