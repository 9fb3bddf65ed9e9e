import type pg from 'pg';
import { InternalError, UnavailableError } from '../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { DATABASE_DEFAULTS, validateDatabaseConfig } from './database-config.ts';
import type { DatabaseConfig } from './database-config.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import type { EmbeddedPostgres } from './embedded-postgres.ts';
import { createPool } from './pool.ts';
import { redactUrl } from './redact-url.ts';

export const Dialect = {
  POSTGRES: 'postgres',
  COCKROACH: 'cockroach',
} as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];

/** An open connection pool to CockroachDB or PostgreSQL. */
export interface Database {
  readonly pool: pg.Pool;
  /** Connection URL including any password: never log it; log `redactedUrl`. */
  readonly url: string;
  readonly redactedUrl: string;
  /** Detected from `SELECT version()`. */
  readonly dialect: Dialect;
  /** The server's version string. */
  readonly serverVersion: string;
  /** The embedded server this database started, if it started one. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Where transaction metrics go (see withTransaction). */
  readonly metrics: MetricsRegistry | undefined;
  readonly logger: Logger;
  /** Ends the pool, then stops the embedded server if this database started one. Idempotent. */
  close(): Promise<void>;
}

export interface DatabaseDeps {
  readonly logger: Logger;
  readonly metrics?: MetricsRegistry;
}

/**
 * Connects to `config.url`, or, without one, starts the embedded PostgreSQL in `config.dataDir` and
 * connects to that. Fails with UnavailableError when the server cannot be reached.
 */
export async function openDatabase(config: DatabaseConfig, deps: DatabaseDeps): Promise<Database> {
  validateDatabaseConfig(config);
  const logger = deps.logger.child({ component: 'database' });
  const embedded =
    config.url === undefined
      ? await startEmbeddedPostgres({
          dataDir: config.dataDir,
          databaseName: config.databaseName ?? DATABASE_DEFAULTS.databaseName,
          logger: deps.logger,
          ...(config.port === undefined ? {} : { port: config.port }),
          ...(config.embeddedSettings === undefined ? {} : { settings: config.embeddedSettings }),
        })
      : undefined;
  const url = config.url ?? embedded?.url;
  if (url === undefined) throw new InternalError('neither a database URL nor an embedded server');
  const redactedUrl = redactUrl(url);
  const pool = createPool(
    {
      url,
      max: config.poolMax,
      statementTimeoutMs: config.statementTimeoutMs,
      connectionTimeoutMs: config.connectionTimeoutMs ?? DATABASE_DEFAULTS.connectionTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs ?? DATABASE_DEFAULTS.idleTimeoutMs,
      applicationName: config.applicationName ?? DATABASE_DEFAULTS.applicationName,
    },
    logger,
  );

  let serverVersion: string;
  try {
    const result = await pool.query<{ version: string }>('SELECT version() AS version');
    const row = result.rows[0];
    if (row === undefined) throw new Error('SELECT version() returned no row');
    serverVersion = row.version;
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw new UnavailableError(`cannot query the database at ${redactedUrl}`, {
      cause: error,
      details: { database: redactedUrl },
    });
  }
  const dialect = /cockroachdb/i.test(serverVersion) ? Dialect.COCKROACH : Dialect.POSTGRES;
  logger.info(
    { database: redactedUrl, dialect, serverVersion, embedded: embedded !== undefined },
    'database open',
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await pool.end();
      } finally {
        await embedded?.stop();
      }
      logger.info({ database: redactedUrl }, 'database closed');
    })();
    return closing;
  };
  return { pool, url, redactedUrl, dialect, serverVersion, embedded, metrics: deps.metrics, logger, close };
}
