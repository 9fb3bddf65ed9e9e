import { InvalidArgumentError } from '../domain/errors.ts';

/** How a node reaches its database. */
export interface DatabaseConfig {
  /**
   * postgres:// or postgresql:// URL of CockroachDB or PostgreSQL. Absent: the node starts an
   * embedded PostgreSQL in `dataDir` and connects to that.
   */
  readonly url?: string;
  /** Data directory of the embedded PostgreSQL (created and initialised on first start). */
  readonly dataDir: string;
  /** Loopback port of the embedded PostgreSQL; 0 or absent picks a free one. */
  readonly port?: number;
  /** Application database created on the embedded server; default `ninja`. */
  readonly databaseName?: string;
  /** Upper bound of pooled connections. */
  readonly poolMax: number;
  /** Server-side limit for one statement; protects the pool from runaway queries. */
  readonly statementTimeoutMs: number;
  /** Limit for acquiring a connection (pool wait plus connect); default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** How long an idle pooled connection is kept; default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Shown in pg_stat_activity / CockroachDB's session list; default `ninja-gekko`. */
  readonly applicationName?: string;
  /**
   * Extra `-c name=value` settings for the embedded server. Tests pass
   * `{ fsync: 'off', synchronous_commit: 'off' }`; never do that for data you want to keep.
   */
  readonly embeddedSettings?: Readonly<Record<string, string>>;
}

export const DATABASE_DEFAULTS = {
  databaseName: 'ninja',
  connectionTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  applicationName: 'ninja-gekko',
} as const;

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws InvalidArgumentError naming the first bad field; the URL itself is never echoed. */
export function validateDatabaseConfig(config: DatabaseConfig): void {
  if (config.url !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(config.url)) {
    throw new InvalidArgumentError('database.url', 'must be a postgres:// or postgresql:// URL');
  }
  if (config.dataDir.trim() === '') {
    throw new InvalidArgumentError('database.dataDir', 'must be a directory path');
  }
  if (
    config.port !== undefined &&
    !(Number.isInteger(config.port) && config.port >= 0 && config.port <= 65535)
  ) {
    throw new InvalidArgumentError('database.port', `must be an integer in 0..65535, got ${config.port}`);
  }
  if (config.databaseName !== undefined && !DATABASE_NAME.test(config.databaseName)) {
    throw new InvalidArgumentError(
      'database.databaseName',
      'must be lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters',
    );
  }
  positiveInteger('database.poolMax', config.poolMax);
  positiveInteger('database.statementTimeoutMs', config.statementTimeoutMs);
  if (config.connectionTimeoutMs !== undefined) {
    positiveInteger('database.connectionTimeoutMs', config.connectionTimeoutMs);
  }
  if (config.idleTimeoutMs !== undefined) positiveInteger('database.idleTimeoutMs', config.idleTimeoutMs);
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(field, `must be a positive integer, got ${value}`);
  }
}
