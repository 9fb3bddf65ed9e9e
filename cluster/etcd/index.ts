export { createEtcdClient } from './etcd-client.ts';
export type { EtcdClientOptions } from './etcd-client.ts';
export { clusterKeys } from './keys.ts';
export type { ClusterKeys } from './keys.ts';
