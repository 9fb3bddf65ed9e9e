import type { TestProject } from 'vitest/node';
import { startTestEtcd } from './etcd-server.ts';
import type { TestEtcdCluster } from './etcd-server.ts';
import { testLogger } from './logger.ts';
import { startTestPostgres } from './postgres-server.ts';
import type { TestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL; see createTestDatabase. */
    postgresUrl: string;
    /** Client URLs (`http://127.0.0.1:<port>`) of the run's 3-member etcd cluster. */
    etcdEndpoints: string[];
  }
}

/**
 * Vitest global setup of the integration project: starts the real servers the suites use, once
 * per run and in parallel, and hands their addresses to the test files through `inject`. One start
 * function per server. If one fails to start, the others are stopped before the error is raised.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, etcd] = await Promise.allSettled([startTestPostgres(), startTestEtcd()]);
  if (postgres.status === 'rejected' || etcd.status === 'rejected') {
    const reasons: unknown[] = [];
    if (postgres.status === 'rejected') reasons.push(postgres.reason);
    if (etcd.status === 'rejected') reasons.push(etcd.reason);
    for (const reason of reasons)
      testLogger('global-setup').error({ err: reason }, 'test server failed to start');
    await stopAll([
      postgres.status === 'fulfilled' ? postgres.value : undefined,
      etcd.status === 'fulfilled' ? etcd.value : undefined,
    ]);
    throw reasons[0];
  }
  project.provide('postgresUrl', postgres.value.url);
  project.provide('etcdEndpoints', [...etcd.value.endpoints]);
  return () => stopAll([postgres.value, etcd.value]);
}

/** Stops every server, even when one of them fails to stop; then reports the first failure. */
async function stopAll(servers: readonly (TestPostgres | TestEtcdCluster | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(
    servers.map((server) => (server === undefined ? Promise.resolve() : server.stop())),
  );
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  for (const failure of failures)
    testLogger('global-setup').error({ err: failure.reason }, 'test server stop failed');
  if (failures[0] !== undefined) throw failures[0].reason;
}
