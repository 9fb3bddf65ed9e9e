// The cluster layer: identities and kinds, membership (etcd and static providers), rendezvous
// placement and the etcd activation registry. Remote transport, failover and drain come later.
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
