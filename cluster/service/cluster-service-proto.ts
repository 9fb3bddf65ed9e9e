import { InternalError } from '../../domain/errors.ts';
import { MemberState as ProtoMemberState } from '../../proto/gen/ninja/v1/cluster_service.ts';
import type { GetClusterStatusResponse } from '../../proto/gen/ninja/v1/cluster_service.ts';
import { MemberState, isMemberState } from '../membership/member.ts';
import type { ClusterStatus } from './cluster-status.ts';

const TO_PROTO: Readonly<Record<MemberState, ProtoMemberState>> = {
  [MemberState.joining]: ProtoMemberState.MEMBER_STATE_JOINING,
  [MemberState.up]: ProtoMemberState.MEMBER_STATE_UP,
  [MemberState.draining]: ProtoMemberState.MEMBER_STATE_DRAINING,
  [MemberState.leaving]: ProtoMemberState.MEMBER_STATE_LEAVING,
};

const FROM_PROTO = new Map<ProtoMemberState, MemberState>(
  Object.entries(TO_PROTO).map(([state, proto]) => [proto, state as MemberState]),
);

export function clusterStatusToProto(status: ClusterStatus): GetClusterStatusResponse {
  return {
    clusterName: status.clusterName,
    viewOf: status.viewOf,
    observedAtUnixMs: BigInt(status.observedAt),
    members: status.members.map((member) => ({
      nodeId: member.nodeId,
      address: member.address,
      roles: [...member.roles],
      version: member.version,
      state: TO_PROTO[member.state],
      startedAtUnixMs: BigInt(member.startedAt),
      actors: member.actorsByKind.map((entry) => ({ kind: entry.kind, actors: entry.actors })),
      actorsTotal: member.actors,
    })),
  };
}

/** INTERNAL for a member state this build does not know (a newer node answered). */
export function clusterStatusFromProto(response: GetClusterStatusResponse): ClusterStatus {
  return {
    clusterName: response.clusterName,
    viewOf: response.viewOf,
    observedAt: Number(response.observedAtUnixMs),
    members: response.members.map((member) => {
      const state = FROM_PROTO.get(member.state);
      if (state === undefined || !isMemberState(state)) {
        throw new InternalError(`member ${member.nodeId} has an unknown state ${String(member.state)}`);
      }
      return {
        nodeId: member.nodeId,
        address: member.address,
        roles: member.roles,
        version: member.version,
        state,
        startedAt: Number(member.startedAtUnixMs),
        actorsByKind: member.actors.map((entry) => ({ kind: entry.kind, actors: entry.actors })),
        actors: member.actorsTotal,
      };
    }),
  };
}
