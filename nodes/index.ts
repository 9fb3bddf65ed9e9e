export * from './config/index.ts';
export { databaseConfigOf } from './database-config.ts';
export { startNode } from './node.ts';
export type { RunningNode, StartNodeOptions } from './node.ts';
export { startClusterNode } from './start-cluster.ts';
export type { RegisterKinds } from './start-cluster.ts';
export { startNodeHttpServer } from './node-http-server.ts';
export type { NodeHttpServer, NodeHttpServerOptions, ReadinessCheck } from './node-http-server.ts';
