import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevelopmentOperator } from '../../../gateway/index.ts';
import type { OperatorCredentials } from '../../../gateway/index.ts';
import { ListAccountsRequest, ListAccountsResponse } from '../../../proto/gen/ninja/v1/account.ts';
import { testLogger } from '../../support/index.ts';
import { RawGrpcClient, startGatewayNode } from '../gateway/gateway-harness.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function readCredentials(file: string): Promise<OperatorCredentials> {
  return JSON.parse(await readFile(file, 'utf8')) as OperatorCredentials;
}

describe('development operator account', () => {
  it('is created on a development start, saved 0600, works, and is kept by the next start', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ninja-config-'));
    dirs.push(home);
    const file = join(home, 'ninja-gekko', 'credentials.json');
    const first = await startGatewayNode({ env: { NINJA_ENV: 'development' }, credentialsFile: file });
    try {
      const saved = await readCredentials(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
      expect(saved).toMatchObject({ email: 'operator@localhost', grpc: first.grpcAddress });
      expect(saved.password).toEqual(expect.any(String));
      const listed = await first.grpc.unary(
        '/ninja.v1.AccountService/ListAccounts',
        {},
        ListAccountsRequest,
        ListAccountsResponse,
        { apiKey: saved.apiKey },
      );
      expect(listed.ok && listed.value.accounts.map((a) => [a.accountId, a.venue])).toEqual([
        [saved.accountId, 'paper'],
      ]);
      const roles = await first.database.pool.query<{ roles: string[] }>(
        'SELECT roles FROM users WHERE id = $1',
        [saved.userId],
      );
      expect(roles.rows[0]?.roles).toEqual(['admin']);

      // A second start on the same database keeps the working key.
      const gateway = first.node.gateway;
      if (gateway === undefined) throw new Error('no gateway');
      await ensureDevelopmentOperator(gateway, {
        file,
        grpc: first.grpcAddress,
        http: first.httpBase,
        nodeId: 'gateway-1',
        logger: testLogger(),
      });
      expect((await readCredentials(file)).apiKey).toBe(saved.apiKey);
    } finally {
      await first.stop();
    }
  });

  it('replaces a credentials file whose key this database does not know', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ninja-config-'));
    dirs.push(home);
    const file = join(home, 'ninja-gekko', 'credentials.json');
    const a = await startGatewayNode({ env: { NINJA_ENV: 'development' }, credentialsFile: file });
    const firstKey = (await readCredentials(file)).apiKey;
    await a.stop();
    const b = await startGatewayNode({ env: { NINJA_ENV: 'development' }, credentialsFile: file });
    try {
      const second = await readCredentials(file);
      expect(second.apiKey).not.toBe(firstKey);
      const client = new RawGrpcClient(b.grpcAddress);
      const listed = await client.unary(
        '/ninja.v1.AccountService/ListAccounts',
        {},
        ListAccountsRequest,
        ListAccountsResponse,
        {
          apiKey: second.apiKey,
        },
      );
      client.close();
      expect(listed.ok).toBe(true);
    } finally {
      await b.stop();
    }
  });

  it('is never created outside development', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ninja-config-'));
    dirs.push(home);
    const file = join(home, 'ninja-gekko', 'credentials.json');
    const node = await startGatewayNode({ credentialsFile: file });
    try {
      await expect(stat(file)).rejects.toThrow(/ENOENT/);
      const users = await node.database.pool.query(
        "SELECT count(*) AS n FROM users WHERE email = 'operator@localhost'",
      );
      expect(users.rows[0]).toEqual({ n: '0' });
    } finally {
      await node.stop();
    }
  });
});
