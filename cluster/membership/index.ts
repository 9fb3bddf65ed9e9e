export { MemberState, isMemberState, validateMemberInfo } from './member.ts';
export type { Member, MemberInfo } from './member.ts';
export { decodeMember, encodeMember } from './member-codec.ts';
export { MembershipHealth } from './membership-provider.ts';
export type {
  LeftReason,
  MembershipEvent,
  MembershipListener,
  MembershipProvider,
  StartOptions,
} from './membership-provider.ts';
export { StaticMembershipProvider } from './static/static-membership-provider.ts';
export type { StaticMembershipOptions } from './static/static-membership-provider.ts';
export { EtcdMembershipProvider } from './etcd/etcd-membership-provider.ts';
export type { MemberLease } from './etcd/etcd-membership-provider.ts';
export { DEFAULT_MEMBER_TTL_SECONDS } from './etcd/etcd-membership-options.ts';
export type { EtcdMembershipOptions } from './etcd/etcd-membership-options.ts';
export { LeaseFence } from './etcd/lease-fence.ts';
export type { FenceInfo, LeaseFenceOptions } from './etcd/lease-fence.ts';
