import { afterEach, describe, expect, inject, it } from 'vitest';
import type { MembershipEvent } from '../../../cluster/index.ts';
import { createTestNode, memberInfo, uniqueClusterName } from './cluster-test-nodes.ts';
import type { TestNode } from './cluster-test-nodes.ts';

const leftEvent =
  (nodeId: string, reason: 'left' | 'expired') =>
  (event: MembershipEvent): boolean =>
    event.type === 'member-left' && event.member.nodeId === nodeId && event.reason === reason;

describe('etcd membership (3-member etcd of the run)', () => {
  const nodes: TestNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });

  function start(clusterName: string, nodeId: string): TestNode {
    const node = createTestNode({ endpoints: inject('etcdEndpoints'), clusterName, nodeId });
    nodes.push(node);
    return node;
  }

  it('three nodes see each other, a draining state, and a graceful leave', async () => {
    const clusterName = uniqueClusterName();
    const [a, b, c] = ['node-a', 'node-b', 'node-c'].map((nodeId) => start(clusterName, nodeId));
    if (a === undefined || b === undefined || c === undefined) throw new Error('nodes');
    await Promise.all([a, b, c].map((node) => node.membership.start(memberInfo(node.nodeId))));
    for (const node of [a, b, c]) {
      await node.waitFor((event) => event.type === 'member-joined' && event.member.nodeId === 'node-c', 3000);
      await node.waitFor((event) => event.type === 'member-joined' && event.member.nodeId === 'node-a', 3000);
      await node.waitFor((event) => event.type === 'member-joined' && event.member.nodeId === 'node-b', 3000);
      expect(node.membership.members().map((member) => [member.nodeId, member.state])).toEqual([
        ['node-a', 'up'],
        ['node-b', 'up'],
        ['node-c', 'up'],
      ]);
      expect(node.membership.health).toBe('healthy');
      expect(node.membership.lastKeepaliveAt).toBeGreaterThan(Date.now() - 2000);
    }

    await c.membership.setState('draining');
    await a.waitFor((event) => event.type === 'member-updated' && event.member.state === 'draining', 3000);

    const stoppedAt = Date.now();
    await c.membership.stop();
    for (const node of [a, b]) await node.waitFor(leftEvent('node-c', 'left'), 3000);
    expect(Date.now() - stoppedAt).toBeLessThan(1000);
    expect(a.membership.members().map((member) => member.nodeId)).toEqual(['node-a', 'node-b']);
    const exposed = (await a.registry.expose()).body;
    expect(exposed).toContain('ninja_cluster_membership_changes_total{type="left"} 1');
    expect(exposed).toMatch(/ninja_cluster_members\{state="up"\} 2/);
    expect(exposed).toMatch(/ninja_cluster_lease_keepalive_gap_ms_count [1-9]/);
  });

  it('refuses a second live node with the same id (after waiting a TTL for it to expire)', async () => {
    const clusterName = uniqueClusterName();
    const first = start(clusterName, 'twin');
    await first.membership.start(memberInfo('twin'));
    const second = createTestNode({ endpoints: inject('etcdEndpoints'), clusterName, nodeId: 'twin' });
    try {
      const started = Date.now();
      await expect(second.membership.start(memberInfo('twin'))).rejects.toThrow(
        /registered by a live member/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(second.membership.health).toBe('stopped');
    } finally {
      second.client.close();
    }
  });
});
