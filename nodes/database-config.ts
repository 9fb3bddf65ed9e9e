import { join } from 'node:path';
import type { DatabaseConfig } from '../persistence/index.ts';
import type { Config } from './config/index.ts';

/** The database settings of a node: its URL, or an embedded PostgreSQL under its data directory. */
export function databaseConfigOf(config: Config): DatabaseConfig {
  const base = {
    dataDir: join(config.dataDir, 'postgres'),
    port: config.database.embeddedPort,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    applicationName: `ninja-gekko/${config.nodeId}`,
  };
  return config.database.url === undefined ? base : { ...base, url: config.database.url };
}
