import type { Member, MemberInfo, MemberState } from './member.ts';

/**
 * Health of this node's own membership: `starting` (start() running), `healthy` (registered and,
 * for etcd, renewing its lease in time), `fenced` (it could not renew in time: it must not host
 * actors until it is healthy again), `stopped`.
 */
export const MembershipHealth = {
  stopped: 'stopped',
  starting: 'starting',
  healthy: 'healthy',
  fenced: 'fenced',
} as const;
export type MembershipHealth = (typeof MembershipHealth)[keyof typeof MembershipHealth];

/** Why a member is gone: `left` after announcing `leaving`; `expired` when its key vanished otherwise (lease expiry). */
export type LeftReason = 'left' | 'expired';

export type MembershipEvent =
  | { readonly type: 'member-joined'; readonly member: Member }
  | { readonly type: 'member-updated'; readonly member: Member; readonly previous: Member }
  | { readonly type: 'member-left'; readonly member: Member; readonly reason: LeftReason }
  /**
   * This node could not renew its lease before its own deadline: stop every actor now. Emitted
   * before the lease can expire on the server (`leaseExpiresNoEarlierThan` is the earliest moment).
   */
  | {
      readonly type: 'fenced';
      readonly lastKeepaliveAt: number;
      readonly leaseExpiresNoEarlierThan: number;
      readonly at: number;
    }
  /** Registered again under a new lease after a fence; actors may re-activate through placement. */
  | { readonly type: 'recovered'; readonly at: number };

export type MembershipListener = (event: MembershipEvent) => void;

/** Options of `start` common to every provider. */
export interface StartOptions {
  /** State to register in; default `up`. Use `joining` when the node must warm up first. */
  readonly initialState?: MemberState;
}

/**
 * One membership backend (etcd, static). A provider registers this node, keeps the live member list
 * and tells listeners about changes. Listeners are called synchronously; one that throws is logged
 * and does not stop the others.
 */
export interface MembershipProvider {
  readonly health: MembershipHealth;
  /**
   * When the last lease renewal that etcd acknowledged was sent (ms since the epoch), or undefined
   * when there is none (not started, or a provider without leases).
   */
  readonly lastKeepaliveAt: number | undefined;
  /** This node as registered, or undefined before start / after stop. */
  readonly self: Member | undefined;
  start(self: MemberInfo, options?: StartOptions): Promise<void>;
  /** Announces a new state for this node (e.g. `draining`). */
  setState(state: MemberState): Promise<void>;
  /** Announces `leaving`, then removes this node's registration. */
  stop(): Promise<void>;
  /** Live members, this node included once registered, sorted by nodeId. */
  members(): readonly Member[];
  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: MembershipListener): () => void;
}
