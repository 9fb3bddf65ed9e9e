// The cluster node: actor system + membership + placement + activation + transport, joined so
// that any identity is addressed from any node and hosted on exactly one. See docs/cluster.md.
export { etcdActivationStore, staticActivationStore } from './activation-store.ts';
export type { ActivationStore, ActivationTicket } from './activation-store.ts';
export { jsonMessageCodec } from './cluster-kind.ts';
export type { ClusterKind, EncodedMessage, JsonMessageCodecOptions, MessageCodec } from './cluster-kind.ts';
export { ClusterNode } from './cluster-node.ts';
export { isRetryable } from './envelopes.ts';
export { DrainRequests, drainKey, requestDrain } from './drain-requests.ts';
export type { ClusterRequestOptions, ClusterSendOptions } from './cluster-node.ts';
export { clusterNodeMetrics } from './cluster-node-metrics.ts';
export type { ClusterNodeMetrics } from './cluster-node-metrics.ts';
export type {
  ClusterMembershipOptions,
  ClusterNodeOptions,
  ClusterTransportSettings,
} from './cluster-node-options.ts';
export { PassivationReason } from './local-actors.ts';
export type { ActivationListener, LocalActivation } from './local-actors.ts';
