import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL; see createTestDatabase. */
    postgresUrl: string;
  }
}

/**
 * Vitest global setup of the integration project: starts the real servers the suites use, once
 * per run, and hands their addresses to the test files through `inject`. One start function per
 * server (PostgreSQL now; etcd joins here later).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startTestPostgres();
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
  };
}
