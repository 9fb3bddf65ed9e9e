import { join } from 'node:path';
import { MigrationRunner, openDatabase } from '../persistence/index.ts';
import type { Database, DatabaseConfig } from '../persistence/index.ts';
import type { Logger } from '../observability/index.ts';
import { MetricsRegistry } from '../observability/index.ts';
import type { Config } from './config/index.ts';
import { startNodeHttpServer } from './node-http-server.ts';
import type { NodeHttpServer } from './node-http-server.ts';

/** A running node process: what it started, and how to stop it in reverse order. */
export interface RunningNode {
  readonly config: Config;
  readonly database: Database;
  readonly http: NodeHttpServer;
  readonly metrics: MetricsRegistry;
  /** Stops everything this node started; safe to call more than once. */
  stop(): Promise<void>;
}

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

/**
 * Wires one node: database (embedded unless configured) → migrations → HTTP endpoint. The cluster,
 * supervisors and gateway join this sequence as they are built.
 */
export async function startNode(config: Config, logger: Logger): Promise<RunningNode> {
  const startedAt = performance.now();
  const metrics = new MetricsRegistry({ defaultMetrics: true });
  logger.info({ nodeId: config.nodeId, env: config.env, dataDir: config.dataDir }, 'node starting');

  const database = await openDatabase(databaseConfigOf(config), { logger, metrics });
  let http: NodeHttpServer | undefined;
  try {
    await new MigrationRunner({ database, logger, metrics }).up();
    http = await startNodeHttpServer({
      host: config.gateway.httpHost,
      port: config.gateway.httpPort,
      metrics,
      logger,
      readiness: [{ name: 'database', check: async () => void (await database.pool.query('SELECT 1')) }],
    });
  } catch (error) {
    logger.error({ err: error }, 'node failed to start; stopping what it started');
    await database.close();
    throw error;
  }

  const running = http;
  let stopping: Promise<void> | undefined;
  logger.info(
    {
      nodeId: config.nodeId,
      database: database.redactedUrl,
      dialect: database.dialect,
      http: `http://${running.host}:${running.port}`,
      startupMs: Math.round(performance.now() - startedAt),
    },
    'node ready',
  );
  return {
    config,
    database,
    http: running,
    metrics,
    stop: () => {
      stopping ??= (async () => {
        logger.info({ nodeId: config.nodeId }, 'node stopping');
        try {
          await running.close();
        } finally {
          await database.close();
        }
        logger.info({ nodeId: config.nodeId }, 'node stopped');
      })();
      return stopping;
    },
  };
}
