import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedPreconditionError, UnavailableError } from '../../../domain/errors.ts';
import {
  Dialect,
  isLoopbackPortOpen,
  openDatabase,
  startEmbeddedPostgres,
} from '../../../persistence/index.ts';
import type { DatabaseConfig } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

const logger = testLogger('database-test');

describe('openDatabase without a URL (embedded PostgreSQL)', () => {
  let root: string;
  let config: DatabaseConfig;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ninja-embedded-'));
    await chmod(root, 0o755); // as root, the server's OS user must be able to enter it
    config = {
      dataDir: join(root, 'pg'),
      poolMax: 4,
      statementTimeoutMs: 10_000,
      embeddedSettings: { fsync: 'off', synchronous_commit: 'off' },
    };
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('starts PostgreSQL in the data directory, and close() stops it', async () => {
    const db = await openDatabase(config, { logger });
    const port = db.embedded?.port;
    expect(port).toBeGreaterThan(0);
    expect(db.dialect).toBe(Dialect.POSTGRES);
    expect(db.serverVersion).toMatch(/^PostgreSQL 18\./);
    expect(db.redactedUrl).not.toContain(new URL(db.url).password);
    expect(db.redactedUrl).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/ninja$/);
    const listen = await db.pool.query<{ listen_addresses: string }>('SHOW listen_addresses');
    expect(listen.rows[0]?.listen_addresses).toBe('127.0.0.1');
    await db.pool.query('CREATE TABLE kept (id INT PRIMARY KEY)');
    await db.pool.query('INSERT INTO kept VALUES (42)');
    expect(await isLoopbackPortOpen(port ?? 0)).toBe(true);

    await db.close();
    await db.close(); // idempotent
    expect(await isLoopbackPortOpen(port ?? 0)).toBe(false);
  });

  it('reuses the cluster on the next start, recovering from a stale postmaster.pid', async () => {
    // A PID that belongs to a live process which is not PostgreSQL, as after a crash and PID reuse.
    const impostor = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(join(config.dataDir, 'postmaster.pid'), `${impostor.pid}\n${config.dataDir}\n`);
      const db = await openDatabase({ ...config, port: 0 }, { logger });
      try {
        expect(db.embedded?.initialised).toBe(false);
        const kept = await db.pool.query<{ id: number }>('SELECT id FROM kept');
        expect(kept.rows).toEqual([{ id: 42 }]);

        // While it runs, a second server on the same directory is refused with a clear reason.
        const second = startEmbeddedPostgres({ dataDir: config.dataDir, databaseName: 'ninja', logger });
        await expect(second).rejects.toBeInstanceOf(FailedPreconditionError);
        await expect(second).rejects.toThrow(/already running on .*pg/);
      } finally {
        await db.close();
      }
    } finally {
      impostor.kill();
    }
  });

  it('names the reason when the server cannot start (its fixed port is taken)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const attempt = startEmbeddedPostgres({ dataDir: config.dataDir, databaseName: 'ninja', logger, port });
      await expect(attempt).rejects.toBeInstanceOf(UnavailableError);
      await expect(attempt).rejects.toThrow(
        /failed to start on port \d+:[\s\S]*could not (bind|create listen socket)/,
      );
    } finally {
      blocker.close();
    }
  });
});

describe('exact numbers', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('returns NUMERIC and INT8, and their arrays, as exact strings', async () => {
    const result = await database.pool.query<Record<string, unknown>>(
      `SELECT '0.00000001'::NUMERIC AS tiny,
              '123456789012345678.123456789'::NUMERIC AS large,
              $1::NUMERIC AS bound,
              9007199254740993::INT8 AS beyond_double,
              ARRAY['0.1', '2.50', NULL]::NUMERIC[] AS amounts,
              ARRAY[9007199254740993]::INT8[] AS ids,
              1::INT4 AS small`,
      ['-0.000000000000000001'],
    );
    expect(result.rows[0]).toEqual({
      tiny: '0.00000001',
      large: '123456789012345678.123456789',
      bound: '-0.000000000000000001',
      beyond_double: '9007199254740993',
      amounts: ['0.1', '2.50', null],
      ids: ['9007199254740993'],
      small: 1,
    });
  });

  it('round-trips money through a NUMERIC column unchanged', async () => {
    await database.pool.query('CREATE TABLE money (amount NUMERIC NOT NULL)');
    const values = ['0.00000001', '123456789012345678.123456789', '-42.10'];
    for (const value of values) await database.pool.query('INSERT INTO money VALUES ($1)', [value]);
    const stored = await database.pool.query<{ amount: string }>('SELECT amount FROM money ORDER BY amount');
    expect(stored.rows.map((row) => row.amount)).toEqual([
      '-42.10',
      '0.00000001',
      '123456789012345678.123456789',
    ]);
  });
});
