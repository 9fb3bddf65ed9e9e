import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../persistence/index.ts';
import { testLogger } from './logger.ts';

/** The PostgreSQL server of one test run. */
export interface TestPostgres {
  /** Superuser URL of its `postgres` database; test files create their own databases from it. */
  readonly url: string;
  /** Whether the harness started it (false when NINJA_TEST_DATABASE_URL points elsewhere). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/**
 * Starts an embedded PostgreSQL for the test run in a fresh temporary directory, on a free loopback
 * port, with durability off for speed; or, when NINJA_TEST_DATABASE_URL is set (CI pointing at a
 * server of its own), uses that and starts nothing.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.NINJA_TEST_DATABASE_URL;
  if (external !== undefined && external !== '') {
    if (!/^postgres(ql)?:\/\//.test(external)) {
      throw new Error('NINJA_TEST_DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    return { url: external, started: false, stop: () => Promise.resolve() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'ninja-test-pg-'));
  // As root the server runs as the OS user "postgres", which must be able to enter this directory.
  await chmod(dir, 0o755);
  try {
    const server = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      databaseName: 'postgres',
      logger: testLogger('test-postgres'),
      ephemeral: true,
    });
    return {
      url: server.url,
      started: true,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
