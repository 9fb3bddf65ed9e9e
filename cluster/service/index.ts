// ClusterService (proto/ninja/v1/cluster_service.proto): cluster status and drain, served on every
// node's cluster listener and called by `gekko cluster`.
export { ClusterServiceConnection } from './cluster-service-client.ts';
export type { ClusterServiceConnectionOptions } from './cluster-service-client.ts';
export {
  DEFAULT_ADMIN_NAMES,
  clusterServiceOnListener,
  drainNode,
  getClusterStatus,
} from './cluster-service.ts';
export type { ClusterServiceOptions } from './cluster-service.ts';
export { kindActors } from './cluster-status.ts';
export type { ClusterOperations, ClusterStatus, KindActors, MemberStatus } from './cluster-status.ts';
