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
    // pg attaches the whole client to the error; log only what helps.
    const err = { type: error.name, message: error.message, code: (error as { code?: unknown }).code };
    if (pool.ending) {
      // end() resolves before the sockets close, so a server stopping right after may still reach them.
      logger.debug({ err, database }, 'connection closed by the server while the pool was ending');
    } else {
      logger.warn({ err, database }, 'idle database connection failed; the pool will replace it');
    }
  });
  return pool;
}
