import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import { NinjaClient, isNinjaError } from '../../../sdk/index.ts';
import { startClientTestNode } from '../sdk/client-test-node.ts';
import type { ClientTestNode } from '../sdk/client-test-node.ts';

let node: ClientTestNode;
let operator: { apiKey: string; accountId: string; grpc: string };

beforeAll(async () => {
  node = await startClientTestNode();
  operator = JSON.parse(readFileSync(node.credentialsFile, 'utf8')) as typeof operator;
});
afterAll(async () => {
  await node.stop();
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `gekko <args>` in-process against the test node, with the node's config dir. */
async function gekko(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: Readable,
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'gekko', ...args], {
    env: { XDG_CONFIG_HOME: node.configHome, ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    ...(stdin === undefined ? {} : { stdin }),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `gekko <args> --gateway <node> --json`, expecting success; the parsed JSON. */
async function json<T>(args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  const run = await gekko([...args, '--gateway', node.gateway, '--json'], env);
  if (run.code !== 0) throw new Error(`gekko ${args.join(' ')} exited ${String(run.code)}: ${run.err}`);
  return JSON.parse(run.out) as T;
}

/** What the gateway answers the SDK for the same call: the result, or the error message. */
async function sdkAnswer(
  call: (client: NinjaClient) => Promise<unknown>,
): Promise<{ ok: boolean; message: string }> {
  const client = new NinjaClient({ address: node.gateway, apiKey: operator.apiKey });
  try {
    await call(client);
    return { ok: true, message: '' };
  } catch (error) {
    if (!isNinjaError(error)) throw error;
    return { ok: false, message: `error (${error.code}): ${error.message}` };
  } finally {
    client.close();
  }
}

describe('gekko client commands against a real node', () => {
  it('use the development operator credentials the node saved', async () => {
    expect(operator.grpc).toBe(node.gateway);
    const accounts = await json<{ accountId: string; venue: string }[]>(['accounts']);
    expect(accounts).toContainEqual(
      expect.objectContaining({ accountId: operator.accountId, venue: 'paper' }),
    );
  });

  it('create a user, log in (session file 0600), and manage API keys', async () => {
    const user = await json<{ email: string; roles: string[] }>([
      'user',
      'create',
      '--email',
      'Trader@Ninja.test',
      '--password',
      'a long enough password',
    ]);
    expect(user).toMatchObject({ email: 'trader@ninja.test', roles: ['TRADER'] });

    const login = await json<{ email: string; sessionFile: string }>([
      'login',
      '--email',
      'trader@ninja.test',
      '--password',
      'a long enough password',
    ]);
    expect(login.sessionFile).toBe(join(node.configHome, 'ninja-gekko', 'session.json'));
    expect(statSync(login.sessionFile).mode & 0o777).toBe(0o600);

    const created = await json<{ apiKey: { keyId: string; scopes: string[] }; credential: string }>([
      'key',
      'create',
      '--scope',
      'read,trade',
    ]);
    expect(created.apiKey.scopes).toEqual(['READ', 'TRADE']);
    expect(created.credential.startsWith(`${created.apiKey.keyId}.`)).toBe(true);

    const keys = await json<{ keyId: string }[]>(['key', 'list']);
    expect(keys.map((k) => k.keyId)).toEqual([created.apiKey.keyId]);

    const table = await gekko(['key', 'list', '--gateway', node.gateway]);
    const [header, row] = table.out.split('\n');
    expect(header).toMatch(/^KEY ID\s+LABEL\s+SCOPES\s+ALLOWED IPS\s+CREATED\s+LAST USED\s+REVOKED$/);
    expect(row?.startsWith(created.apiKey.keyId)).toBe(true);
    expect(row?.indexOf('read,trade')).toBe(header?.indexOf('SCOPES'));

    // The new key works on its own (flag and environment), then stops working once revoked.
    expect(await json<unknown[]>(['accounts', '--api-key', created.credential])).toEqual([]);
    expect(await json<unknown[]>(['accounts'], { NINJA_API_KEY: created.credential })).toEqual([]);
    const revoked = await json<{ revokeTime?: string }>(['key', 'revoke', created.apiKey.keyId]);
    expect(revoked.revokeTime).toEqual(expect.any(String));
    const refused = await gekko(['accounts', '--gateway', node.gateway, '--api-key', created.credential]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error \(UNAUTHENTICATED\): .*--api-key were refused.*gekko login --email/);
  });

  it('read a password from standard input (--password-stdin, or when it is not a terminal)', async () => {
    const password = 'a password from a pipe';
    const created = await gekko(
      [
        'user',
        'create',
        '--email',
        'piped@ninja.test',
        '--password-stdin',
        '--gateway',
        node.gateway,
        '--json',
      ],
      {},
      Readable.from([`${password}\n`, 'ignored second line\n']),
    );
    expect(created.code).toBe(0);
    expect(created.out).not.toContain(password);
    const login = await gekko(
      ['login', '--email', 'piped@ninja.test', '--gateway', node.gateway, '--json'],
      {},
      Readable.from([`${password}\r\n`]),
    );
    expect(login.code).toBe(0);
    expect(JSON.parse(login.out)).toMatchObject({ email: 'piped@ninja.test' });
    const both = await gekko(
      [
        'login',
        '--email',
        'piped@ninja.test',
        '--password',
        'x',
        '--password-stdin',
        '--gateway',
        node.gateway,
      ],
      {},
      Readable.from([]),
    );
    expect(both).toMatchObject({ code: 1, err: expect.stringContaining('--password-stdin') as unknown });
    const empty = await gekko(
      ['login', '--email', 'piped@ninja.test', '--gateway', node.gateway],
      {},
      Readable.from([]),
    );
    expect(empty).toMatchObject({ code: 1, err: expect.stringContaining('no password given') as unknown });
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'prompt for the password on a terminal without echoing it (pseudo-terminal via script(1))',
    async () => {
      const password = 'typed on a terminal';
      const gekkoBin = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));
      const command = [process.execPath, gekkoBin, 'user', 'create', '--email', 'tty@ninja.test']
        .concat(['--gateway', node.gateway])
        .map((arg) => `'${arg}'`)
        .join(' ');
      // script gives the command a pseudo-terminal and copies everything it shows to our stdout.
      const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, XDG_CONFIG_HOME: node.configHome, NINJA_PASSWORD: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let shown = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          shown += chunk.toString('utf8');
          if (shown.includes('password for tty@ninja.test: ')) resolve();
        });
        void exited.then((code) =>
          reject(new Error(`gekko exited (${String(code)}) before prompting:\n${shown}`)),
        );
      });
      child.stdin.write(`${password}\r`);
      expect(await exited).toBe(0);
      child.stdin.end();
      expect(shown).toContain('created user tty@ninja.test');
      expect(shown).not.toContain(password);
      // The password that was typed is the one the account got.
      const client = new NinjaClient({ address: node.gateway });
      try {
        expect((await client.login('tty@ninja.test', password)).email).toBe('tty@ninja.test');
      } finally {
        client.close();
      }
    },
    180_000,
  );

  it('refresh a stored session whose access token the gateway refuses, and store the new pair', async () => {
    const file = join(node.configHome, 'ninja-gekko', 'session.json');
    const before = JSON.parse(readFileSync(file, 'utf8')) as {
      tokens: { accessToken: string; refreshToken: string };
    };
    writeFileSync(file, JSON.stringify({ ...before, tokens: { ...before.tokens, accessToken: 'expired' } }), {
      mode: 0o600,
    });
    expect(await json<unknown[]>(['key', 'list'])).toHaveLength(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof before;
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
    expect(after.tokens.accessToken).not.toBe('expired');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(await json<{ loggedOut: boolean }>(['logout'])).toMatchObject({ loggedOut: true });
    expect(() => statSync(file)).toThrow();
  });

  it('show the gateway’s own answer for trading and market data calls (verbatim when not served)', async () => {
    const cases: { args: string[]; sdk: (client: NinjaClient) => Promise<unknown> }[] = [
      {
        args: [
          'orders',
          'place',
          '--instrument',
          'BTC-USD.PAPER',
          '--side',
          'buy',
          '--quantity',
          '0.01',
          '--price',
          '50000',
          '--client-order-id',
          'cli-test-1',
        ],
        sdk: (c) =>
          c.trading.placeOrder({
            accountId: operator.accountId,
            instrumentId: 'BTC-USD.PAPER',
            side: 'BUY',
            type: 'LIMIT',
            quantity: '0.01',
            price: '50000',
            clientOrderId: 'cli-test-2',
          }),
      },
      { args: ['orders', 'list'], sdk: (c) => c.trading.listOrders({ accountId: operator.accountId }) },
      {
        args: ['orders', 'cancel', '--client-order-id', 'cli-test-1'],
        sdk: (c) => c.trading.cancelOrder(operator.accountId, { clientOrderId: 'cli-test-1' }),
      },
      { args: ['instruments'], sdk: (c) => c.marketData.listInstruments() },
      { args: ['book', 'BTC-USD.PAPER'], sdk: (c) => c.marketData.getOrderBook('BTC-USD.PAPER', 10) },
      { args: ['balances'], sdk: (c) => c.accounts.getBalances(operator.accountId) },
      { args: ['positions'], sdk: (c) => c.accounts.getPositions(operator.accountId) },
      { args: ['pnl'], sdk: (c) => c.accounts.getPnl(operator.accountId) },
      // Without --node or etcd, through the gateway (how a node started by npm start is reached).
      { args: ['cluster', 'status'], sdk: (c) => c.cluster.getStatus() },
    ];
    for (const { args, sdk } of cases) {
      const run = await gekko([...args, '--gateway', node.gateway, '--json']);
      const expected = await sdkAnswer(sdk);
      if (expected.ok) {
        expect(run.code, `${args.join(' ')}: ${run.err}`).toBe(0);
        expect(() => JSON.parse(run.out) as unknown).not.toThrow();
      } else {
        expect(run.code, args.join(' ')).toBe(1);
        // The same status and message the SDK got, with no local rewording (ids aside).
        expect(run.err.replace(/cli-test-\d/g, 'ID')).toBe(expected.message.replace(/cli-test-\d/g, 'ID'));
      }
    }
  });

  it('say whose PnL it shows, and amounts without padding zeros', async () => {
    const run = await gekko(['pnl', '--gateway', node.gateway]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`account:    ${operator.accountId}`);
    for (const line of run.out.split('\n').filter((l) => /^(realized|unrealized|fees):/.test(l))) {
      // `none` before the first fill, else exact amounts without trailing zeros (`0.0918 USD`).
      expect(line).toMatch(/^\w+:\s+(none|(-?\d+(\.\d*[1-9])? [A-Z]+(, )?)+)$/);
    }
  });

  it('show the cluster through the gateway when neither --node nor etcd is named', async () => {
    const run = await gekko(['cluster', 'status', '--json', '--gateway', node.gateway]);
    expect(run.code, run.err).toBe(0);
    const status = JSON.parse(run.out) as { members: { state: string; actors: number }[] };
    expect(status.members).toHaveLength(1);
    expect(status.members[0]?.state).toBe('up');
    const human = await gekko(['cluster', 'status', '--gateway', node.gateway]);
    expect(human.out).toMatch(/^cluster \S+ \(as \S+ sees it\): 1 members/);
  });

  it('refuse bad input before sending, naming the flag or field', async () => {
    const decimal = await gekko([
      'orders',
      'place',
      '--gateway',
      node.gateway,
      '--instrument',
      'BTC-USD.PAPER',
      '--side',
      'buy',
      '--quantity',
      '1e3',
      '--price',
      '1',
    ]);
    expect(decimal.code).toBe(1);
    expect(decimal.err).toMatch(/^error \(INVALID_ARGUMENT\): quantity: "1e3" is not a decimal/);
    const side = await gekko([
      'orders',
      'place',
      '--gateway',
      node.gateway,
      '--instrument',
      'BTC-USD.PAPER',
      '--side',
      'hold',
      '--quantity',
      '1',
    ]);
    expect(side.err).toMatch(/^error \(INVALID_ARGUMENT\): --side: "hold" is not one of buy, sell/);
    const gateway = await gekko(['accounts', '--gateway', 'nowhere']);
    expect(gateway.err).toMatch(/--gateway: "nowhere" is not host:port/);
  });

  it('say how to start a node when the gateway is unreachable', async () => {
    const port = await closedPort();
    const run = await gekko([
      'instruments',
      '--gateway',
      `127.0.0.1:${String(port)}`,
      '--api-key',
      'ngk_x.y',
    ]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`error (UNAVAILABLE): cannot reach the gateway at 127.0.0.1:${String(port)}`);
    expect(run.err).toContain('Start a node with `npm start`');
  });

  it('say how to log in when no credentials are found', async () => {
    const run = await gekko(['accounts', '--gateway', '127.0.0.1:1'], {
      XDG_CONFIG_HOME: join(node.configHome, 'empty'),
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error \(UNAUTHENTICATED\): .*no credentials were given.*gekko login --email/);
  });
});

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
