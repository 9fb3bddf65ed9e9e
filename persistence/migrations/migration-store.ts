import type { ClientBase, Pool } from 'pg';
import { DataLossError, FailedPreconditionError, InternalError } from '../../domain/errors.ts';
import { SqlState, sqlStateOf } from '../sql-state.ts';
import type { Migration } from './migration.ts';

/** A row of `schema_migrations`. */
export interface AppliedRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly rolledBackAt: Date | null;
}

/**
 * Bookkeeping tables. `schema_migrations_lock` holds exactly one row; every migration step locks
 * it first, so migrators on several nodes take turns (CockroachDB has no advisory locks).
 */
const BOOKKEEPING_SQL = [
  `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INT4 NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    rolled_back_at TIMESTAMPTZ NULL,
    CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
  )`,
  `CREATE TABLE IF NOT EXISTS schema_migrations_lock (
    id INT4 NOT NULL,
    locked_at TIMESTAMPTZ NULL,
    locked_by TEXT NULL,
    CONSTRAINT schema_migrations_lock_pkey PRIMARY KEY (id),
    CONSTRAINT schema_migrations_lock_single_row_check CHECK (id = 1)
  )`,
  'INSERT INTO schema_migrations_lock (id) VALUES (1) ON CONFLICT (id) DO NOTHING',
];

/**
 * Creates the bookkeeping tables if missing. Two nodes doing this at the same moment can collide
 * inside PostgreSQL's catalog (unique violation on pg_type, "type already exists" or "relation
 * exists") even with IF NOT EXISTS; the loser simply tries again and then finds the tables.
 */
export async function ensureBookkeeping(pool: Pool): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      for (const sql of BOOKKEEPING_SQL) await pool.query(sql);
      return;
    } catch (error) {
      const state = sqlStateOf(error);
      const collided =
        state === SqlState.UNIQUE_VIOLATION ||
        state === SqlState.DUPLICATE_TABLE ||
        state === SqlState.DUPLICATE_OBJECT;
      if (!collided || attempt >= 5) throw error;
    }
  }
}

/** Waits for and takes the migration lock for the rest of the caller's transaction. */
export async function lockMigrations(client: ClientBase, holder: string): Promise<void> {
  const locked = await client.query('SELECT id FROM schema_migrations_lock WHERE id = 1 FOR UPDATE');
  if (locked.rowCount !== 1) {
    throw new FailedPreconditionError(
      'schema_migrations_lock has lost its row; re-insert it: INSERT INTO schema_migrations_lock (id) VALUES (1)',
    );
  }
  // Writing the row also makes a migrator that waited for the lock restart with a fresh snapshot
  // (a serialization failure, retried by withTransaction) instead of working from a stale one.
  await client.query('UPDATE schema_migrations_lock SET locked_at = now(), locked_by = $1 WHERE id = 1', [
    holder,
  ]);
}

export async function bookkeepingExists(pool: Pool): Promise<boolean> {
  const result = await pool.query(
    `SELECT 1 FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`,
  );
  return (result.rowCount ?? 0) > 0;
}

export async function readAppliedRows(client: ClientBase | Pool): Promise<AppliedRow[]> {
  const result = await client.query<{
    version: unknown;
    name: string;
    checksum: string;
    applied_at: Date;
    rolled_back_at: Date | null;
  }>('SELECT version, name, checksum, applied_at, rolled_back_at FROM schema_migrations ORDER BY version');
  return result.rows.map((row) => ({
    version: versionOf(row.version),
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at,
    rolledBackAt: row.rolled_back_at,
  }));
}

function versionOf(value: unknown): number {
  const version = typeof value === 'string' ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
    throw new InternalError(`schema_migrations.version holds ${String(value)}, not an integer`);
  }
  return version;
}

export async function recordApplied(client: ClientBase, migration: Migration): Promise<void> {
  await client.query(
    `INSERT INTO schema_migrations (version, name, checksum, applied_at, rolled_back_at)
     VALUES ($1, $2, $3, now(), NULL)
     ON CONFLICT (version) DO UPDATE
       SET name = excluded.name, checksum = excluded.checksum, applied_at = now(), rolled_back_at = NULL`,
    [migration.version, migration.name, migration.checksum],
  );
}

export async function recordRolledBack(client: ClientBase, version: number): Promise<void> {
  await client.query('UPDATE schema_migrations SET rolled_back_at = now() WHERE version = $1', [version]);
}

/**
 * Refuses to go on when the files no longer describe what the database ran: an applied migration
 * whose up file was edited (DataLossError, naming the file and both checksums), or an applied
 * version with no file at all (FailedPreconditionError: this build is older than the database).
 */
export function verifyApplied(
  migrations: readonly Migration[],
  rows: readonly AppliedRow[],
  dir: string,
): void {
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
  const edited: string[] = [];
  const unknown: string[] = [];
  for (const row of rows) {
    if (row.rolledBackAt !== null) continue;
    const migration = byVersion.get(row.version);
    if (migration === undefined) {
      unknown.push(`${row.version} (${row.name})`);
    } else if (migration.checksum !== row.checksum) {
      edited.push(
        `${migration.upFile}: applied with checksum ${row.checksum}, the file now has ${migration.checksum}`,
      );
    }
  }
  if (edited.length > 0) {
    throw new DataLossError(
      `applied migrations were edited after they ran, so the files no longer describe the schema:\n  ${edited.join('\n  ')}\n` +
        'Restore the original files (e.g. from git) and put the change in a new migration.',
      { details: { edited } },
    );
  }
  if (unknown.length > 0) {
    throw new FailedPreconditionError(
      `the database has applied migrations with no file in ${dir}: ${unknown.join(', ')}. ` +
        'This build is older than the database schema: run a build that has them.',
      { details: { versions: unknown } },
    );
  }
}
