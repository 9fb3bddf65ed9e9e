/**
 * SQLSTATE codes the persistence layer acts on (PostgreSQL Appendix A; CockroachDB reports the same
 * codes). Only the ones we branch on are listed.
 */
export const SqlState = {
  /** Serializable isolation could not order this transaction; re-run it from the start. */
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  /** The commit may or may not have happened (CockroachDB); never blindly retried. */
  STATEMENT_COMPLETION_UNKNOWN: '40003',
  UNIQUE_VIOLATION: '23505',
  DUPLICATE_TABLE: '42P07',
  /** e.g. the row type of a table created concurrently by another session. */
  DUPLICATE_OBJECT: '42710',
  DUPLICATE_DATABASE: '42P04',
  UNDEFINED_TABLE: '42P01',
} as const;
export type SqlState = (typeof SqlState)[keyof typeof SqlState];

/** SQLSTATEs for which re-running the whole transaction is the documented remedy. */
const RETRYABLE: ReadonlySet<string> = new Set([SqlState.SERIALIZATION_FAILURE, SqlState.DEADLOCK_DETECTED]);

const MAX_CAUSE_DEPTH = 8;

/**
 * The SQLSTATE of a database error, looking through `cause` chains so that an error wrapped by
 * application code is still recognised; undefined when no error in the chain carries one.
 */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

/** True when the error (or one it wraps) is a serialization failure or deadlock: retry the transaction. */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && RETRYABLE.has(state);
}
