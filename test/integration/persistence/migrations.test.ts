import { appendFile, copyFile, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataLossError, FailedPreconditionError, InvalidArgumentError } from '../../../domain/errors.ts';
import type { Pool } from 'pg';
import {
  ChecksumState,
  DEFAULT_MIGRATIONS_DIR,
  createPool,
  MigrationRunner,
  MigrationState,
  loadMigrations,
} from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { schemaSnapshot, userTables } from './schema-snapshot.ts';

const logger = testLogger('migrations-test');
const databases: TestDatabase[] = [];
const tempDirs: string[] = [];

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

/** A copy of the real migrations, plus `extra` files, in a temporary folder the test may edit. */
async function migrationsCopy(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ninja-migrations-'));
  tempDirs.push(dir);
  for (const file of await readdir(DEFAULT_MIGRATIONS_DIR)) {
    if (file.endsWith('.sql')) await copyFile(join(DEFAULT_MIGRATIONS_DIR, file), join(dir, file));
  }
  for (const [file, sql] of Object.entries(extra)) await writeFile(join(dir, file), sql);
  return dir;
}

/** The real migrations, and the version a test migration after them takes (so new real ones never clash). */
const REAL = await loadMigrations();
const NEXT = Math.max(0, ...REAL.map((migration) => migration.version)) + 1;
const NEXT_PREFIX = String(NEXT).padStart(4, '0');
const NOTE_MIGRATION = {
  [`${NEXT_PREFIX}_user_note.up.sql`]: 'ALTER TABLE users ADD COLUMN note TEXT NULL;\n',
  [`${NEXT_PREFIX}_user_note.down.sql`]: 'ALTER TABLE users DROP COLUMN note;\n',
};
/** Versions once the real migrations and the note migration are applied. */
const ALL_VERSIONS = [...REAL.map((migration) => migration.version), NEXT];

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });

  it('applies, reverts to nothing, and re-applies to the identical schema', async () => {
    const runner = new MigrationRunner({ database: database.pool, logger });
    const migrations = await loadMigrations();
    expect((await runner.status()).map((entry) => entry.state)).toEqual(
      migrations.map(() => MigrationState.PENDING),
    );

    const applied = await runner.up();
    expect(applied.map((step) => step.version)).toEqual(migrations.map((migration) => migration.version));
    const first = await schemaSnapshot(database.pool);
    expect(first.length).toBeGreaterThan(100);
    expect(await userTables(database.pool)).toEqual(
      [
        'accounts',
        'actor_activations',
        'actor_journal',
        'actor_snapshots',
        'api_keys',
        'audit_log',
        'balances',
        'fills',
        'orders',
        'order_history',
        'positions',
        'refresh_tokens',
        'route_plans',
        'users',
      ].sort(),
    );
    expect(await runner.up()).toEqual([]);

    const reverted = await runner.down(migrations.length);
    expect(reverted.map((step) => step.version)).toEqual(migrations.map((m) => m.version).reverse());
    expect(await userTables(database.pool)).toEqual([]);
    const afterDown = await runner.status();
    expect(afterDown.every((entry) => entry.state === MigrationState.ROLLED_BACK)).toBe(true);

    await runner.up();
    expect(await schemaSnapshot(database.pool)).toEqual(first);
    const status = await runner.status();
    expect(
      status.every((entry) => entry.state === MigrationState.APPLIED && entry.checksum === ChecksumState.OK),
    ).toBe(true);
    const rows = await database.pool.query<{ rolled_back_at: Date | null }>(
      'SELECT rolled_back_at FROM schema_migrations',
    );
    expect(rows.rows.every((row) => row.rolled_back_at === null)).toBe(true);
  });

  it('refuses an applied migration that was edited, and changes nothing', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy(NOTE_MIGRATION);
    const runner = new MigrationRunner({ database: db.pool, logger, migrationsDir: dir });
    await runner.up();
    await runner.down(1); // the note migration is now rolled back: pending again
    const before = await schemaSnapshot(db.pool);
    const ledgerBefore = await db.pool.query('SELECT * FROM schema_migrations ORDER BY version');

    await appendFile(join(dir, '0001_initial.up.sql'), '\n-- an innocent-looking edit\n');
    const error = await runner.up().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataLossError);
    const message = (error as Error).message;
    expect(message).toContain(join(dir, '0001_initial.up.sql'));
    const recorded = (ledgerBefore.rows[0] as { checksum: string }).checksum;
    const now = (await loadMigrations(dir))[0]?.checksum;
    expect(message).toContain(recorded);
    expect(message).toContain(now);
    await expect(runner.down(1)).rejects.toBeInstanceOf(DataLossError);

    expect(await schemaSnapshot(db.pool)).toEqual(before);
    expect((await db.pool.query('SELECT * FROM schema_migrations ORDER BY version')).rows).toEqual(
      ledgerBefore.rows,
    );
    const status = await runner.status();
    expect(status.find((entry) => entry.version === 1)?.checksum).toBe(ChecksumState.MISMATCH);
  });

  it('refuses a database with an applied migration that has no file', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy(NOTE_MIGRATION);
    const runner = new MigrationRunner({ database: db.pool, logger, migrationsDir: dir });
    await runner.up();
    await unlink(join(dir, `${NEXT_PREFIX}_user_note.up.sql`));
    await unlink(join(dir, `${NEXT_PREFIX}_user_note.down.sql`));
    await expect(runner.up()).rejects.toThrow(FailedPreconditionError);
    await expect(runner.up()).rejects.toThrow(new RegExp(`no file .*${NEXT} \\(user_note\\)`, 's'));
    const status = await runner.status();
    expect(status.find((entry) => entry.version === NEXT)?.checksum).toBe(ChecksumState.MISSING_FILE);
  });

  it('rejects a migration without its down file when loading', async () => {
    const dir = await migrationsCopy({ [`${NEXT_PREFIX}_lonely.up.sql`]: 'SELECT 1;\n' });
    await expect(loadMigrations(dir)).rejects.toThrow(FailedPreconditionError);
    await expect(loadMigrations(dir)).rejects.toThrow(
      new RegExp(`${NEXT_PREFIX}_lonely: the \\.down\\.sql file is missing`),
    );
  });

  it('validates down(n) and reverts newest first', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy(NOTE_MIGRATION);
    const runner = new MigrationRunner({ database: db.pool, logger, migrationsDir: dir });
    await runner.up();
    await expect(runner.down(0)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(runner.down(1.5)).rejects.toBeInstanceOf(InvalidArgumentError);
    const tooMany = ALL_VERSIONS.length + 1;
    await expect(runner.down(tooMany)).rejects.toThrow(
      new RegExp(`cannot revert ${tooMany} migration\\(s\\): only ${ALL_VERSIONS.length} are applied`),
    );
    expect((await runner.status()).map((entry) => entry.state)).toEqual(
      ALL_VERSIONS.map(() => MigrationState.APPLIED),
    );
    expect((await runner.down(1)).map((step) => step.name)).toEqual(['user_note']);
    const columns = await db.pool.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note'",
    );
    expect(columns.rowCount).toBe(0);
  });

  it('lets several nodes migrate at once, applying each migration exactly once', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy(NOTE_MIGRATION);
    // Separate pools on the same database stand for separate nodes.
    const nodePools = [db.pool, poolOn(db.url), poolOn(db.url)];
    try {
      const results = await Promise.all(
        nodePools.map((pool, index) =>
          new MigrationRunner({ database: pool, logger, migrationsDir: dir, holder: `node-${index}` }).up(),
        ),
      );
      expect(
        results
          .flat()
          .map((step) => step.version)
          .sort((a, b) => a - b),
      ).toEqual(ALL_VERSIONS);
      const ledger = await db.pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(ledger.rows.map((row) => row.version)).toEqual(ALL_VERSIONS);
    } finally {
      await Promise.all(nodePools.slice(1).map((pool) => pool.end()));
    }
  });
});

function poolOn(url: string): Pool {
  return createPool(
    {
      url,
      max: 2,
      statementTimeoutMs: 30_000,
      connectionTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
      applicationName: 'ninja-gekko-tests',
    },
    logger,
  );
}
