import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../../../domain/errors.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { SqlState, sqlStateOf, withTransaction } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

const logger = testLogger('transaction-test');
let database: TestDatabase;

/** Resolves once `parties` callers have arrived: makes two transactions interleave for certain. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const open = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return open;
  };
}

async function counterValue(metrics: MetricsRegistry, name: string, labels: Record<string, string> = {}) {
  const metric = (await metrics.registry.getSingleMetric(name)?.get()) ?? { values: [] };
  return metric.values
    .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query('CREATE TABLE counters (id TEXT PRIMARY KEY, value INT8 NOT NULL)');
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query('TRUNCATE counters');
  await database.pool.query("INSERT INTO counters (id, value) VALUES ('a', 0), ('b', 0)");
});

describe('withTransaction', () => {
  it('retries a genuine read-then-write conflict until both transactions commit', async () => {
    const metrics = new MetricsRegistry();
    const bothRead = barrier(2);
    const increment = (label: string) =>
      withTransaction(
        database.pool,
        async (client, { attempt }) => {
          const read = await client.query<{ value: string }>("SELECT value FROM counters WHERE id = 'a'");
          const value = BigInt(read.rows[0]?.value ?? Number.NaN);
          if (attempt === 1) await bothRead();
          await client.query("UPDATE counters SET value = $1 WHERE id = 'a'", [String(value + 1n)]);
          return attempt;
        },
        { label, metrics, logger, baseDelayMs: 1 },
      );
    const attempts = await Promise.all([increment('first'), increment('second')]);
    const final = await database.pool.query<{ value: string }>("SELECT value FROM counters WHERE id = 'a'");
    expect(final.rows[0]?.value).toBe('2');
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    expect(
      await counterValue(metrics, 'ninja_db_transaction_retries_total', { sqlstate: '40001' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await counterValue(metrics, 'ninja_db_transactions_total', { outcome: 'committed' })).toBe(2);
  });

  it('retries write skew, which SERIALIZABLE detects without any row lock conflict', async () => {
    const metrics = new MetricsRegistry();
    const bothRead = barrier(2);
    // Each reads both rows and writes its own: serial orders give {1, 2}; skew would give {1, 1}.
    const skew = (own: 'a' | 'b') =>
      withTransaction(
        database.pool,
        async (client, { attempt }) => {
          const read = await client.query<{ total: string }>(
            'SELECT sum(value)::INT8 AS total FROM counters',
          );
          const total = BigInt(read.rows[0]?.total ?? Number.NaN);
          if (attempt === 1) await bothRead();
          await client.query('UPDATE counters SET value = $1 WHERE id = $2', [String(total + 1n), own]);
        },
        { label: `skew-${own}`, metrics, logger, baseDelayMs: 1 },
      );
    await Promise.all([skew('a'), skew('b')]);
    const rows = await database.pool.query<{ value: string }>('SELECT value FROM counters ORDER BY value');
    expect(rows.rows.map((row) => row.value)).toEqual(['1', '2']);
    expect(await counterValue(metrics, 'ninja_db_transaction_retries_total')).toBeGreaterThanOrEqual(1);
  });

  it('rolls back and rethrows a non-retryable error unchanged', async () => {
    const metrics = new MetricsRegistry();
    const failure = new Error('the business rule said no');
    let runs = 0;
    const caught = await withTransaction(
      database.pool,
      async (client) => {
        runs += 1;
        await client.query("UPDATE counters SET value = 99 WHERE id = 'a'");
        throw failure;
      },
      { metrics },
    ).catch((error: unknown) => error);
    expect(caught).toBe(failure);
    expect(runs).toBe(1);
    const sqlError = await withTransaction(database.pool, async (client) => {
      await client.query("INSERT INTO counters (id, value) VALUES ('c', 1)");
      await client.query("INSERT INTO counters (id, value) VALUES ('a', 1)");
    }).catch((error: unknown) => error);
    expect(sqlStateOf(sqlError)).toBe(SqlState.UNIQUE_VIOLATION);
    const rows = await database.pool.query('SELECT id, value FROM counters ORDER BY id');
    expect(rows.rows).toEqual([
      { id: 'a', value: '0' },
      { id: 'b', value: '0' },
    ]);
    expect(await counterValue(metrics, 'ninja_db_transactions_total', { outcome: 'rolled_back' })).toBe(1);
    expect(database.pool.totalCount).toBeGreaterThan(0);
    expect(database.pool.waitingCount).toBe(0);
  });

  it('gives up with AbortedError after maxAttempts conflicts, committing nothing', async () => {
    const metrics = new MetricsRegistry();
    let runs = 0;
    const caught = await withTransaction(
      database.pool,
      async (client) => {
        runs += 1;
        await client.query("UPDATE counters SET value = value + 1 WHERE id = 'a'");
        // A real serialization failure raised by the server, every time.
        await client.query(
          "DO $$ BEGIN RAISE EXCEPTION 'simulated conflict' USING ERRCODE = 'serialization_failure'; END $$",
        );
      },
      { maxAttempts: 3, baseDelayMs: 1, label: 'always-conflicts', correlationId: 'corr-1', metrics, logger },
    ).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(AbortedError);
    const aborted = caught as AbortedError;
    expect(aborted.message).toMatch(/transaction "always-conflicts" aborted after 3 attempts/);
    expect(aborted.message).toContain('SQLSTATE 40001');
    expect(aborted.details).toMatchObject({
      attempts: 3,
      label: 'always-conflicts',
      correlationId: 'corr-1',
    });
    expect(sqlStateOf(aborted.cause)).toBe('40001');
    expect(aborted.retryable).toBe(true);
    expect(runs).toBe(3);
    const value = await database.pool.query<{ value: string }>("SELECT value FROM counters WHERE id = 'a'");
    expect(value.rows[0]?.value).toBe('0');
    expect(await counterValue(metrics, 'ninja_db_transaction_attempts_total')).toBe(3);
    expect(await counterValue(metrics, 'ninja_db_transaction_retries_total')).toBe(2);
    expect(await counterValue(metrics, 'ninja_db_transactions_total', { outcome: 'aborted' })).toBe(1);
  });

  it('retries a serialization failure reported at COMMIT', async () => {
    // A deferred constraint trigger is not CockroachDB SQL, but this test table lives only here:
    // it makes PostgreSQL raise 40001 from inside COMMIT on the first attempt.
    await database.pool.query(`
      CREATE TABLE IF NOT EXISTS commit_guard (id INT PRIMARY KEY);
      CREATE OR REPLACE FUNCTION fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = 1 THEN
          RAISE EXCEPTION 'conflict at commit' USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS commit_guard_check ON commit_guard;
      CREATE CONSTRAINT TRIGGER commit_guard_check AFTER INSERT ON commit_guard
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_first_commit();
    `);
    const metrics = new MetricsRegistry();
    const result = await withTransaction(
      database.pool,
      async (client, { attempt }) => {
        await client.query('INSERT INTO commit_guard (id) VALUES ($1)', [attempt]);
        return attempt;
      },
      { baseDelayMs: 1, metrics },
    );
    expect(result).toBe(2);
    const rows = await database.pool.query<{ id: number }>('SELECT id FROM commit_guard');
    expect(rows.rows).toEqual([{ id: 2 }]);
    expect(await counterValue(metrics, 'ninja_db_transaction_retries_total', { sqlstate: '40001' })).toBe(1);
  });
});
