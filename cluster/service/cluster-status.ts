import type { MemberState } from '../membership/member.ts';

/** Actors of one kind hosted by one member. */
export interface KindActors {
  readonly kind: string;
  readonly actors: number;
}

/** One member as an operator sees it. */
export interface MemberStatus {
  readonly nodeId: string;
  readonly address: string;
  readonly roles: readonly string[];
  readonly version: string;
  readonly state: MemberState;
  /** When this incarnation joined, ms since the epoch. */
  readonly startedAt: number;
  /** Sorted by kind. */
  readonly actorsByKind: readonly KindActors[];
  readonly actors: number;
}

/** The cluster as one node sees it. */
export interface ClusterStatus {
  readonly clusterName: string;
  /** The node whose view this is. */
  readonly viewOf: string;
  /** ms since the epoch. */
  readonly observedAt: number;
  /** Sorted by node id. */
  readonly members: readonly MemberStatus[];
}

/** What ClusterService asks of the node that serves it. */
export interface ClusterOperations {
  readonly nodeId: string;
  status(): Promise<ClusterStatus>;
  /** Accepts a drain of `nodeId` (this node or another member); NOT_FOUND for a non-member. */
  drain(nodeId: string, correlationId: string): Promise<void>;
}

/** Per-kind counts, sorted by kind, and their total. */
export function kindActors(counts: ReadonlyMap<string, number>): {
  readonly actorsByKind: KindActors[];
  readonly actors: number;
} {
  const actorsByKind = [...counts]
    .map(([kind, actors]) => ({ kind, actors }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
  return { actorsByKind, actors: actorsByKind.reduce((sum, entry) => sum + entry.actors, 0) };
}
