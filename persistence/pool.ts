import pg from 'pg';
import type { Logger } from '../observability/index.ts';
import { redactUrl } from './redact-url.ts';
import { exactTypeParsers } from './type-parsers.ts';

export interface PoolSettings {
  readonly url: string;
  readonly max: number;
  readonly statementTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly applicationName: string;
}

/**
 * A pg.Pool with exact NUMERIC/INT8 parsing and an error listener: without one, an idle client
 * that the server drops (restart, failover, shutdown) emits an unhandled 'error' and kills the
 * process.
 */
export function createPool(settings: PoolSettings, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    application_name: settings.applicationName,
    types: exactTypeParsers(),
  });
  const database = redactUrl(settings.url);
  pool.on('error', (error) => {
    logger.warn({ err: error, database }, 'idle database connection failed; the pool will replace it');
  });
  return pool;
}
