import { InvalidArgumentError } from '../../domain/errors.ts';
import { isNodeRole } from '../kinds.ts';
import type { NodeRole } from '../kinds.ts';

/**
 * Lifecycle of a member: `joining` (registered, not yet hosting), `up` (receives new activations),
 * `draining` (keeps what it has, gets nothing new, hands its actors over), `leaving` (about to
 * delete its key; a delete seen after `leaving` is a graceful leave, any other is an expiry).
 */
export const MemberState = {
  joining: 'joining',
  up: 'up',
  draining: 'draining',
  leaving: 'leaving',
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

const STATES: ReadonlySet<string> = new Set(Object.values(MemberState));
export function isMemberState(value: string): value is MemberState {
  return STATES.has(value);
}

/** What a node says about itself when it joins. */
export interface MemberInfo {
  readonly nodeId: string;
  /** Where peers reach its cluster transport, `host:port`. */
  readonly address: string;
  readonly roles: readonly NodeRole[];
  /** Software version, shown in cluster status and used by rolling upgrades. */
  readonly version: string;
}

/** A member as every node sees it. */
export interface Member extends MemberInfo {
  readonly state: MemberState;
  /** When this incarnation joined, in ms since the epoch. */
  readonly startedAt: number;
}

const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Throws InvalidArgumentError naming the field unless `info` is a valid member description. */
export function validateMemberInfo(info: MemberInfo): void {
  if (!NODE_ID_PATTERN.test(info.nodeId)) {
    throw new InvalidArgumentError(
      'member.nodeId',
      `must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(info.nodeId)}`,
    );
  }
  if (info.address.length === 0 || info.address.length > 255 || /\s/.test(info.address)) {
    throw new InvalidArgumentError(
      'member.address',
      `must be a host:port without spaces; got ${JSON.stringify(info.address)}`,
    );
  }
  if (info.roles.length === 0) throw new InvalidArgumentError('member.roles', 'must name at least one role');
  for (const role of info.roles) {
    if (!isNodeRole(role))
      throw new InvalidArgumentError('member.roles', `unknown role ${JSON.stringify(role)}`);
  }
  if (info.version.length === 0 || info.version.length > 64) {
    throw new InvalidArgumentError('member.version', 'must be 1-64 characters');
  }
}
