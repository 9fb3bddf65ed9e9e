import type { ActivationCensus } from '../activation/index.ts';
import type { Member } from '../membership/member.ts';
import { kindActors } from '../service/index.ts';
import type { ClusterStatus } from '../service/index.ts';

export interface NodeStatusInput {
  readonly clusterName: string;
  readonly nodeId: string;
  readonly members: readonly Member[];
  /** This node's activations by kind (exact: its own table). */
  readonly local: ReadonlyMap<string, number>;
  /** Every holder's activations by kind, from etcd; undefined without etcd. */
  readonly census: ActivationCensus | undefined;
}

/** The cluster as `nodeId` sees it: its members, and per member the activations it holds. */
export function nodeStatus(input: NodeStatusInput): ClusterStatus {
  const members = [...input.members]
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
    .map((member) => {
      const counts =
        member.nodeId === input.nodeId ? input.local : (input.census?.get(member.nodeId) ?? new Map());
      return {
        nodeId: member.nodeId,
        address: member.address,
        roles: member.roles,
        version: member.version,
        state: member.state,
        startedAt: member.startedAt,
        ...kindActors(counts),
      };
    });
  return { clusterName: input.clusterName, viewOf: input.nodeId, observedAt: Date.now(), members };
}
