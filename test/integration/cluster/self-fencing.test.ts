import { afterEach, describe, expect, it } from 'vitest';
import { FencedError, parseIdentity } from '../../../cluster/index.ts';
import { startTestEtcdCluster } from '../../support/index.ts';
import type { TestEtcdCluster } from '../../support/index.ts';
import { createTestNode, memberInfo, uniqueClusterName } from './cluster-test-nodes.ts';
import type { TestNode } from './cluster-test-nodes.ts';

// A dedicated single-member etcd that the test freezes (SIGSTOP): the node loses etcd entirely.
// Election timeout 500 ms keeps etcd's minimum lease TTL (1.5 × election timeout) below 1 s.
describe('self-fencing of a node cut off from etcd (TTL 1 s, margin 250 ms)', () => {
  let etcd: TestEtcdCluster | undefined;
  let node: TestNode | undefined;
  afterEach(async () => {
    etcd?.members[0]?.signal('SIGCONT');
    await node?.close();
    await etcd?.stop();
    node = undefined;
    etcd = undefined;
  });

  it('emits fenced before its lease can expire, drops its activations, then recovers under a new lease', async () => {
    etcd = await startTestEtcdCluster({ members: 1, heartbeatMs: 50, electionTimeoutMs: 500 });
    const member = etcd.members[0];
    if (member === undefined) throw new Error('no etcd member');
    node = createTestNode({
      endpoints: etcd.endpoints,
      clusterName: uniqueClusterName(),
      nodeId: 'fenced-node',
    });
    await node.membership.start(memberInfo('fenced-node'));
    const id = parseIdentity('portfolio/acct-3');
    const first = await node.activations.tryActivate(id);
    if (!first.acquired) throw new Error('should activate');
    // Let a few keepalives go through so that the fence is anchored on a renewal, not on the grant.
    await new Promise((resolve) => setTimeout(resolve, 800));

    const frozenAt = Date.now();
    member.signal('SIGSTOP');
    const fenced = await node.waitFor((event) => event.type === 'fenced', 3000);
    if (fenced.type !== 'fenced') throw new Error('unexpected event');
    const leadMs = fenced.leaseExpiresNoEarlierThan - fenced.at;
    console.info(
      `fenced ${String(fenced.at - frozenAt)} ms after etcd froze; ${String(fenced.at - fenced.lastKeepaliveAt)} ms after the last acknowledged renewal; ${String(leadMs)} ms before the earliest lease expiry`,
    );
    expect(leadMs).toBeGreaterThan(150);
    expect(fenced.at - frozenAt).toBeLessThan(1000);
    expect(node.membership.health).toBe('fenced');
    expect(node.activations.held()).toEqual([]);
    await expect(node.activations.tryActivate(id)).rejects.toBeInstanceOf(FencedError);
    expect((await node.registry.expose()).body).toContain('ninja_cluster_self_fencing_total 1');

    member.signal('SIGCONT');
    const thawedAt = Date.now();
    await node.waitFor((event) => event.type === 'recovered', 15_000);
    console.info(`recovered ${String(Date.now() - thawedAt)} ms after etcd thawed`);
    expect(node.membership.health).toBe('healthy');
    // The fenced lease was revoked before re-registering: its activation key is gone.
    expect(await node.activations.whoHolds(id)).toBeUndefined();
    const again = await node.activations.tryActivate(id);
    if (!again.acquired) throw new Error('should activate again');
    expect(again.activation.epoch).toBeGreaterThan(first.activation.epoch);
    expect(again.activation.leaseId).not.toBe(first.activation.leaseId);
    expect(node.membership.members().map((m) => m.nodeId)).toEqual(['fenced-node']);
  });
});
