// The cluster layer: identities and kinds, membership (etcd and static providers), rendezvous
// placement, the etcd activation registry, the mutual-TLS remote transport, and the cluster node
// that joins them (activation on first message, re-routing, failover, self-fencing).
export { FencedError } from './errors.ts';
export {
  MAX_IDENTITY_KEY_LENGTH,
  formatIdentity,
  identitiesEqual,
  identity,
  parseIdentity,
  validateIdentityKey,
  validateKindName,
} from './identity.ts';
export type { Identity } from './identity.ts';
export { ActorKind, KindRegistry, NodeRole, defaultKindRegistry, isNodeRole } from './kinds.ts';
export type { KindDefinition } from './kinds.ts';
export { clusterMetrics } from './metrics.ts';
export type { ClusterMetrics } from './metrics.ts';
export { clusterKeys, createEtcdClient } from './etcd/index.ts';
export type { ClusterKeys, EtcdClientOptions } from './etcd/index.ts';
export {
  DEFAULT_MEMBER_TTL_SECONDS,
  EtcdMembershipProvider,
  LeaseFence,
  MemberState,
  MembershipHealth,
  StaticMembershipProvider,
  decodeMember,
  encodeMember,
  isMemberState,
  validateMemberInfo,
} from './membership/index.ts';
export type {
  EtcdMembershipOptions,
  FenceInfo,
  LeaseFenceOptions,
  LeftReason,
  Member,
  MemberInfo,
  MemberLease,
  MembershipEvent,
  MembershipListener,
  MembershipProvider,
  StartOptions,
  StaticMembershipOptions,
} from './membership/index.ts';
export {
  RendezvousPlacement,
  eligibleMembers,
  fnv1a64,
  rendezvousOwner,
  rendezvousRanking,
} from './placement/index.ts';
export type { Hash64 } from './placement/index.ts';
export { EtcdActivationRegistry } from './activation/index.ts';
export type {
  AcquireResult,
  Activation,
  ActivationHolder,
  EtcdActivationRegistryOptions,
} from './activation/index.ts';
export {
  Backoff,
  EndpointState,
  EnvelopeTooLargeError,
  FlushScheduling,
  HandshakeRejectedError,
  MalformedFrameError,
  PROTOCOL_VERSION,
  RemoteTransport,
  RemoteUnknownError,
  clusterTransportServiceDefinition,
  errorDetailOf,
  errorFromDetail,
  remoteMetrics,
} from './remote/index.ts';
export type {
  BackoffOptions,
  DeliverFn,
  InboundPeer,
  PeerStatus,
  RemoteMetrics,
  RemoteStartOptions,
  RemoteTransportOptions,
  RequestOptions as RemoteRequestOptions,
  UndeliverableFn,
} from './remote/index.ts';
export {
  clusterTlsPaths,
  createDevelopmentCa,
  isIssuedBy,
  issueNodeCertificate,
  loadDevelopmentCa,
  loadOrCreateCa,
  loadOrCreateClusterTls,
} from './tls/index.ts';
export type {
  ClusterTls,
  ClusterTlsPaths,
  DevelopmentCa,
  DevelopmentCaOptions,
  NodeCertificate,
  NodeCertificateOptions,
} from './tls/index.ts';
export {
  ClusterNode,
  PassivationReason,
  DrainRequests,
  clusterNodeMetrics,
  drainKey,
  etcdActivationStore,
  isRetryable,
  jsonMessageCodec,
  requestDrain,
  staticActivationStore,
} from './node/index.ts';
export type {
  ActivationListener,
  ActivationStore,
  ActivationTicket,
  ClusterKind,
  ClusterMembershipOptions,
  ClusterNodeMetrics,
  ClusterNodeOptions,
  ClusterRequestOptions,
  ClusterSendOptions,
  ClusterTransportSettings,
  EncodedMessage,
  JsonMessageCodecOptions,
  LocalActivation,
  MessageCodec,
} from './node/index.ts';
export {
  ClusterServiceConnection,
  DEFAULT_ADMIN_NAMES,
  clusterServiceOnListener,
  kindActors,
} from './service/index.ts';
export type {
  ClusterOperations,
  ClusterServiceConnectionOptions,
  ClusterServiceOptions,
  ClusterStatus,
  KindActors,
  MemberStatus,
} from './service/index.ts';
export { countActivations } from './activation/index.ts';
export type { ActivationCensus } from './activation/index.ts';
