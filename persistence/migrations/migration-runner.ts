import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FailedPreconditionError, InvalidArgumentError } from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { Database } from '../database.ts';
import { withTransaction } from '../transaction.ts';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations } from './migration-loader.ts';
import { ChecksumState, MigrationState } from './migration.ts';
import type { Migration, MigrationStatus, MigrationStep } from './migration.ts';
import {
  bookkeepingExists,
  ensureBookkeeping,
  lockMigrations,
  readAppliedRows,
  recordApplied,
  recordRolledBack,
  verifyApplied,
} from './migration-store.ts';
import type { AppliedRow } from './migration-store.ts';

export interface MigrationRunnerOptions {
  readonly database: Database | pg.Pool;
  readonly logger: Logger;
  /** Default: the repository's `migrations/` folder. */
  readonly migrationsDir?: string;
  readonly metrics?: MetricsRegistry;
  /** Recorded in the lock row while a step runs; default `host:pid`. */
  readonly holder?: string;
}

/**
 * A migrator waiting for the lock restarts once per step another node commits (a serialization
 * failure when it finally gets the row), so it needs more attempts than an ordinary transaction.
 */
const STEP_MAX_ATTEMPTS = 40;

/**
 * Applies and reverts the numbered SQL migrations. Each migration runs in its own SERIALIZABLE
 * transaction that first locks the single row of `schema_migrations_lock`, so several nodes may
 * migrate at once and each migration is still applied exactly once. Before any change, every
 * applied migration is checked against its file (see verifyApplied).
 */
export class MigrationRunner {
  private readonly pool: pg.Pool;
  private readonly logger: Logger;
  private readonly dir: string;
  private readonly metrics: MetricsRegistry | undefined;
  private readonly holder: string;

  constructor(options: MigrationRunnerOptions) {
    this.pool = options.database instanceof pg.Pool ? options.database : options.database.pool;
    this.logger = options.logger.child({ component: 'migrations' });
    this.dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
    this.metrics =
      options.metrics ?? (options.database instanceof pg.Pool ? undefined : options.database.metrics);
    this.holder = options.holder ?? `${hostname()}:${process.pid}`;
  }

  /** Applies every pending migration in version order; returns what it applied. */
  async up(): Promise<MigrationStep[]> {
    const migrations = await loadMigrations(this.dir);
    await ensureBookkeeping(this.pool);
    const steps: MigrationStep[] = [];
    for (;;) {
      const startedAt = performance.now();
      const applied = await this.step('migrations.up', migrations, async (client, rows) => {
        const next = nextPending(migrations, rows);
        if (next === undefined) return undefined;
        await client.query(next.upSql);
        await recordApplied(client, next);
        return next;
      });
      if (applied === undefined) break;
      const step = {
        version: applied.version,
        name: applied.name,
        durationMs: Math.round(performance.now() - startedAt),
      };
      this.logger.info({ ...step, migration: applied.id }, 'applied migration');
      steps.push(step);
    }
    if (steps.length === 0) this.logger.info({ dir: this.dir }, 'schema is up to date; nothing to apply');
    return steps;
  }

  /** Reverts the last `count` applied migrations, newest first; returns what it reverted. */
  async down(count = 1): Promise<MigrationStep[]> {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new InvalidArgumentError('count', `must be a positive integer, got ${count}`);
    }
    const migrations = await loadMigrations(this.dir);
    const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
    await ensureBookkeeping(this.pool);
    const steps: MigrationStep[] = [];
    for (let index = 0; index < count; index += 1) {
      const startedAt = performance.now();
      const reverted = await this.step('migrations.down', migrations, async (client, rows) => {
        const applied = rows.filter((row) => row.rolledBackAt === null).sort((a, b) => b.version - a.version);
        if (applied.length < count - index) {
          throw new FailedPreconditionError(
            `cannot revert ${count} migration(s): only ${index + applied.length} ${index + applied.length === 1 ? 'is' : 'are'} applied`,
            { details: { requested: count, reverted: index } },
          );
        }
        const latest = applied[0];
        const migration = latest === undefined ? undefined : byVersion.get(latest.version);
        if (migration === undefined) return undefined; // unreachable: verifyApplied checked the files
        await client.query(migration.downSql);
        await recordRolledBack(client, migration.version);
        return migration;
      });
      if (reverted === undefined) break;
      const step = {
        version: reverted.version,
        name: reverted.name,
        durationMs: Math.round(performance.now() - startedAt),
      };
      this.logger.info({ ...step, migration: reverted.id }, 'reverted migration');
      steps.push(step);
    }
    return steps;
  }

  /** Every migration known from the files or the database, in version order. Changes nothing. */
  async status(): Promise<MigrationStatus[]> {
    const migrations = await loadMigrations(this.dir);
    const rows = (await bookkeepingExists(this.pool)) ? await readAppliedRows(this.pool) : [];
    const rowByVersion = new Map(rows.map((row) => [row.version, row]));
    const statuses: MigrationStatus[] = migrations.map((migration) => {
      const row = rowByVersion.get(migration.version);
      if (row === undefined) {
        return {
          version: migration.version,
          name: migration.name,
          state: MigrationState.PENDING,
          appliedAt: null,
          rolledBackAt: null,
          checksum: ChecksumState.NOT_APPLIED,
        };
      }
      const rolledBack = row.rolledBackAt !== null;
      return {
        version: migration.version,
        name: migration.name,
        state: rolledBack ? MigrationState.ROLLED_BACK : MigrationState.APPLIED,
        appliedAt: row.appliedAt,
        rolledBackAt: row.rolledBackAt,
        checksum: rolledBack
          ? ChecksumState.NOT_APPLIED
          : row.checksum === migration.checksum
            ? ChecksumState.OK
            : ChecksumState.MISMATCH,
      };
    });
    const known = new Set(migrations.map((migration) => migration.version));
    for (const row of rows) {
      if (known.has(row.version) || row.rolledBackAt !== null) continue;
      statuses.push({
        version: row.version,
        name: row.name,
        state: MigrationState.APPLIED,
        appliedAt: row.appliedAt,
        rolledBackAt: null,
        checksum: ChecksumState.MISSING_FILE,
      });
    }
    return statuses.sort((a, b) => a.version - b.version);
  }

  /** One migration step: lock, verify, act, all in one transaction. */
  private step<T>(
    label: string,
    migrations: readonly Migration[],
    act: (client: pg.PoolClient, rows: AppliedRow[]) => Promise<T>,
  ): Promise<T> {
    return withTransaction(
      this.pool,
      async (client) => {
        await lockMigrations(client, this.holder);
        const rows = await readAppliedRows(client);
        verifyApplied(migrations, rows, this.dir);
        return act(client, rows);
      },
      {
        label,
        maxAttempts: STEP_MAX_ATTEMPTS,
        maxDelayMs: 500,
        logger: this.logger,
        ...(this.metrics === undefined ? {} : { metrics: this.metrics }),
      },
    );
  }
}

/** The lowest pending migration; refuses one older than an applied migration (merged out of order). */
function nextPending(migrations: readonly Migration[], rows: readonly AppliedRow[]): Migration | undefined {
  const applied = new Set(rows.filter((row) => row.rolledBackAt === null).map((row) => row.version));
  const highestApplied = Math.max(0, ...applied);
  const pending = migrations.filter((migration) => !applied.has(migration.version));
  const next = pending[0];
  if (next !== undefined && next.version < highestApplied) {
    throw new FailedPreconditionError(
      `migration ${next.id} is pending but ${highestApplied} is already applied; migrations must be applied in order. ` +
        'Renumber it above the latest applied migration.',
      { details: { pending: next.version, highestApplied } },
    );
  }
  return next;
}
