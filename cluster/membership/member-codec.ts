import { z } from 'zod';
import { DataLossError } from '../../domain/errors.ts';
import { NodeRole } from '../kinds.ts';
import { MemberState, validateMemberInfo } from './member.ts';
import type { Member } from './member.ts';

/** The JSON stored as the value of `members/<nodeId>`. Unknown fields are ignored (newer versions may add some). */
const memberValue = z.object({
  nodeId: z.string(),
  address: z.string(),
  roles: z.array(z.enum(Object.values(NodeRole) as [NodeRole, ...NodeRole[]])),
  version: z.string(),
  state: z.enum(Object.values(MemberState) as [MemberState, ...MemberState[]]),
  startedAt: z.number().int().nonnegative(),
});

export function encodeMember(member: Member): string {
  return JSON.stringify({
    nodeId: member.nodeId,
    address: member.address,
    roles: member.roles,
    version: member.version,
    state: member.state,
    startedAt: member.startedAt,
  });
}

/**
 * Decodes a member value read from etcd under `members/<keyNodeId>`. A value that does not parse,
 * or whose nodeId differs from its key, is DataLossError: someone wrote the key by hand or a bug did.
 */
export function decodeMember(keyNodeId: string, value: string): Member {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new DataLossError(`member ${keyNodeId}: value is not JSON`, {
      cause: error,
      details: { keyNodeId },
    });
  }
  const parsed = memberValue.safeParse(json);
  if (!parsed.success) {
    throw new DataLossError(`member ${keyNodeId}: ${parsed.error.message}`, { details: { keyNodeId } });
  }
  const member: Member = Object.freeze({ ...parsed.data, roles: Object.freeze(parsed.data.roles) });
  if (member.nodeId !== keyNodeId) {
    throw new DataLossError(`member key ${keyNodeId} holds node ${member.nodeId}`, {
      details: { keyNodeId },
    });
  }
  try {
    validateMemberInfo(member);
  } catch (error) {
    throw new DataLossError(`member ${keyNodeId}: invalid stored value`, {
      cause: error,
      details: { keyNodeId },
    });
  }
  return member;
}
