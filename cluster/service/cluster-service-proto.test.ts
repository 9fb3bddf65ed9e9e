import { describe, expect, it } from 'vitest';
import { MemberState as ProtoMemberState } from '../../proto/gen/ninja/v1/cluster_service.ts';
import { GetClusterStatusResponse } from '../../proto/gen/ninja/v1/cluster_service.ts';
import { nodeStatus } from '../node/node-status.ts';
import { clusterStatusFromProto, clusterStatusToProto } from './cluster-service-proto.ts';

const member = (nodeId: string, state: 'up' | 'draining') => ({
  nodeId,
  address: `127.0.0.1:${nodeId === 'a' ? '7001' : '7002'}`,
  roles: ['trading' as const],
  version: '1.0.0',
  state,
  startedAt: 1_700_000_000_000,
});

describe('cluster status', () => {
  const status = nodeStatus({
    clusterName: 'prod',
    nodeId: 'b',
    members: [member('b', 'draining'), member('a', 'up')],
    local: new Map([['orders', 2]]),
    census: new Map([
      [
        'a',
        new Map([
          ['venue', 1],
          ['book', 3],
        ]),
      ],
      // The census's view of this node is stale: its own table wins.
      ['b', new Map([['orders', 9]])],
    ]),
  });

  it('sorts members, counts each by kind (own table for itself, etcd for the others)', () => {
    expect(status.viewOf).toBe('b');
    expect(status.members.map((m) => [m.nodeId, m.actors, m.actorsByKind])).toEqual([
      [
        'a',
        4,
        [
          { kind: 'book', actors: 3 },
          { kind: 'venue', actors: 1 },
        ],
      ],
      ['b', 2, [{ kind: 'orders', actors: 2 }]],
    ]);
  });

  it('survives the wire unchanged, states included', () => {
    const wire = GetClusterStatusResponse.decode(
      GetClusterStatusResponse.encode(clusterStatusToProto(status)).finish(),
    );
    expect(wire.members.map((m) => m.state)).toEqual([
      ProtoMemberState.MEMBER_STATE_UP,
      ProtoMemberState.MEMBER_STATE_DRAINING,
    ]);
    expect(clusterStatusFromProto(wire)).toEqual(status);
  });

  it('refuses a member state it does not know', () => {
    const wire = clusterStatusToProto(status);
    const unknown = {
      ...wire,
      members: wire.members.map((m) => ({ ...m, state: ProtoMemberState.MEMBER_STATE_UNSPECIFIED })),
    };
    expect(() => clusterStatusFromProto(unknown)).toThrow(/member a has an unknown state 0/);
  });
});
