export * from './config/index.ts';
export { databaseConfigOf, startNode } from './node.ts';
export type { RunningNode } from './node.ts';
export { startNodeHttpServer } from './node-http-server.ts';
export type { NodeHttpServer, NodeHttpServerOptions, ReadinessCheck } from './node-http-server.ts';
