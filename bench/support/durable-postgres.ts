import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../../observability/index.ts';
import { MigrationRunner, createPool, startEmbeddedPostgres } from '../../persistence/index.ts';

/** A migrated PostgreSQL for one bench run, with durability as in production, and a pool on it. */
export interface BenchPostgres {
  readonly pool: pg.Pool;
  stop(): Promise<void>;
}

/**
 * Starts an embedded PostgreSQL in a fresh temporary directory on a free loopback port. Unlike the
 * test server it keeps fsync and synchronous_commit on: a journaled intent is on disk when the
 * append returns, which is what the order-path figures must include.
 */
export async function startBenchPostgres(logger: Logger, poolMax: number): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'gekko-bench-pg-'));
  // As root the server runs as the OS user "postgres", which must be able to enter this directory.
  await chmod(dir, 0o755);
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), databaseName: 'bench', logger });
    const pool = createPool(
      {
        url: server.url,
        max: poolMax,
        statementTimeoutMs: 30_000,
        connectionTimeoutMs: 10_000,
        idleTimeoutMs: 30_000,
        applicationName: 'gekko-bench',
      },
      logger,
    );
    await new MigrationRunner({ database: pool, logger }).up();
    const running = server;
    return {
      pool,
      stop: async () => {
        try {
          await pool.end();
          await running.stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
