export { createTestDatabase } from './database.ts';
export type { TestDatabase } from './database.ts';
export { testLogger } from './logger.ts';
export { startTestPostgres } from './postgres-server.ts';
export type { TestPostgres } from './postgres-server.ts';
export { etcdBinary, startTestEtcd, startTestEtcdCluster } from './etcd-server.ts';
export type { TestEtcdCluster, TestEtcdMember, TestEtcdOptions } from './etcd-server.ts';
export { waitFor } from './wait-for.ts';
