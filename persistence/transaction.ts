import pg from 'pg';
import type { PoolClient } from 'pg';
import { AbortedError } from '../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import type { Database } from './database.ts';
import { isRetryableTransactionError, sqlStateOf } from './sql-state.ts';

export interface TransactionOptions {
  /** Attempts in total, the first included; default 8. */
  readonly maxAttempts?: number;
  /** Backoff cap before the first retry; doubles per retry; default 10 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff; default 1 s. */
  readonly maxDelayMs?: number;
  readonly readOnly?: boolean;
  /** Default: the Database's logger (none for a bare pool). */
  readonly logger?: Logger;
  /** Default: the Database's registry (none for a bare pool). */
  readonly metrics?: MetricsRegistry;
  readonly correlationId?: string;
  /** What the transaction does, for logs and errors, e.g. `orders.persist-intent`. */
  readonly label?: string;
}

/** What the body learns about the attempt it runs in. */
export interface TransactionAttempt {
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
}

export const TransactionOutcome = {
  COMMITTED: 'committed',
  ROLLED_BACK: 'rolled_back',
  ABORTED: 'aborted',
} as const;
export type TransactionOutcome = (typeof TransactionOutcome)[keyof typeof TransactionOutcome];

const DEFAULTS = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 1_000, label: 'transaction' } as const;

/**
 * Runs `body` in a SERIALIZABLE transaction and commits it. This is CockroachDB's client-side retry
 * protocol, done by re-running the whole transaction: when the server reports a serialization
 * failure (SQLSTATE 40001, at any statement or at COMMIT) or a deadlock (40P01), the transaction is
 * rolled back and `body` runs again from the start on a fresh connection, after an exponential
 * backoff with full jitter, at most `maxAttempts` times in all. It works unchanged on PostgreSQL,
 * whose SERIALIZABLE level reports conflicts with the same code.
 *
 * `body` may therefore run more than once: it must not have effects outside the transaction (no
 * venue calls, no messages) that cannot be repeated, and must derive everything from what it reads.
 *
 * - Other errors roll back and are rethrown unchanged.
 * - When every attempt hit a conflict, AbortedError (retryable) carries the attempt count, the
 *   label and the last database error as `cause`.
 * - An ambiguous commit (40003, CockroachDB) is not retried: the transaction may have committed.
 */
export async function withTransaction<T>(
  target: Database | pg.Pool,
  body: (client: PoolClient, attempt: TransactionAttempt) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const pool = target instanceof pg.Pool ? target : target.pool;
  const database = target instanceof pg.Pool ? undefined : target;
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const label = options.label ?? DEFAULTS.label;
  const logger = options.logger ?? database?.logger;
  const metrics = transactionMetrics(options.metrics ?? database?.metrics);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`withTransaction: maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const begin = `BEGIN ISOLATION LEVEL SERIALIZABLE${options.readOnly === true ? ' READ ONLY' : ''}`;
  const context = {
    label,
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
  };

  let lastConflict: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    metrics?.attempts.inc();
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await body(client, { attempt });
      await client.query('COMMIT');
      metrics?.outcomes.inc({ outcome: TransactionOutcome.COMMITTED });
      if (attempt > 1)
        logger?.debug({ ...context, attempts: attempt }, 'transaction committed after retries');
      return result;
    } catch (error) {
      broken = await rollBack(client, error, context, logger);
      if (!isRetryableTransactionError(error)) {
        metrics?.outcomes.inc({ outcome: TransactionOutcome.ROLLED_BACK });
        throw error;
      }
      lastConflict = error;
    } finally {
      client.release(broken);
    }
    if (attempt < maxAttempts) {
      const sqlState = sqlStateOf(lastConflict) ?? 'unknown';
      metrics?.retries.inc({ sqlstate: sqlState });
      const delayMs = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      logger?.debug(
        { ...context, attempt, sqlState, delayMs: Math.round(delayMs) },
        'transaction conflict; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
  metrics?.outcomes.inc({ outcome: TransactionOutcome.ABORTED });
  const sqlState = sqlStateOf(lastConflict) ?? 'unknown';
  const reason = lastConflict instanceof Error ? lastConflict.message : String(lastConflict);
  logger?.warn(
    { ...context, attempts: maxAttempts, sqlState, err: lastConflict },
    'transaction aborted: conflicts on every attempt',
  );
  throw new AbortedError(
    `transaction "${label}" aborted after ${maxAttempts} attempts, each ending in a serialization conflict ` +
      `(last: SQLSTATE ${sqlState}: ${reason}); nothing was committed, and retrying the operation later may succeed`,
    { cause: lastConflict, details: { ...context, attempts: maxAttempts, sqlState } },
  );
}

/**
 * Rolls back after a failed attempt. Returns an error when the connection itself is unusable, so
 * that release() destroys it instead of returning it to the pool.
 */
async function rollBack(
  client: PoolClient,
  cause: unknown,
  context: Record<string, string>,
  logger: Logger | undefined,
): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (rollbackError) {
    logger?.warn(
      { ...context, err: rollbackError, sqlState: sqlStateOf(cause) },
      'ROLLBACK failed; discarding the connection',
    );
    return rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
  }
}

interface TransactionMetrics {
  readonly attempts: { inc(): void };
  readonly retries: { inc(labels: { sqlstate: string }): void };
  readonly outcomes: { inc(labels: { outcome: TransactionOutcome }): void };
}

function transactionMetrics(registry: MetricsRegistry | undefined): TransactionMetrics | undefined {
  if (registry === undefined) return undefined;
  return {
    attempts: registry.counter({
      name: 'ninja_db_transaction_attempts_total',
      help: 'Transaction attempts started by withTransaction, retries included',
    }),
    retries: registry.counter({
      name: 'ninja_db_transaction_retries_total',
      help: 'Transactions re-run after a serialization failure or deadlock, by SQLSTATE',
      labelNames: ['sqlstate'],
    }),
    outcomes: registry.counter({
      name: 'ninja_db_transactions_total',
      help: 'Transactions run by withTransaction, by final outcome',
      labelNames: ['outcome'],
    }),
  };
}
