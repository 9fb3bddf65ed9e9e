import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../persistence/index.ts';
import { testLogger } from './logger.ts';

export interface TestDatabase {
  /** URL of the new database (with the server's password). */
  readonly url: string;
  readonly name: string;
  /** A pool like production's: exact NUMERIC/INT8 strings, error listener. */
  readonly pool: pg.Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A new, empty, uniquely named database on the run's server, so that each test file works in
 * isolation. Call `drop()` in afterAll.
 */
export async function createTestDatabase(options: { readonly poolMax?: number } = {}): Promise<TestDatabase> {
  const serverUrl = inject('postgresUrl');
  const name = `ninja_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = createPool(
    {
      url: url.toString(),
      max: options.poolMax ?? 10,
      statementTimeoutMs: 30_000,
      connectionTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
      applicationName: 'ninja-gekko-tests',
    },
    testLogger('test-database'),
  );
  let dropped = false;
  return {
    url: url.toString(),
    name,
    pool,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await onServer(serverUrl, async (client) => {
        const version = await client.query<{ version: string }>('SELECT version() AS version');
        const row = version.rows[0];
        if (row === undefined) throw new Error('SELECT version() returned no row');
        const cockroach = /cockroachdb/i.test(row.version);
        const drop = `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`;
        await client.query(cockroach ? `${drop} CASCADE` : `${drop} WITH (FORCE)`);
      });
    },
  };
}

async function onServer(serverUrl: string, action: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', (error) => testLogger('test-database').warn({ err: error }, 'admin connection error'));
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}
