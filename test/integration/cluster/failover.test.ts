import { afterEach, describe, expect, inject, it } from 'vitest';
import { parseIdentity } from '../../../cluster/index.ts';
import { createTestNode, memberInfo, uniqueClusterName } from './cluster-test-nodes.ts';
import type { TestNode } from './cluster-test-nodes.ts';
import { startMemberProcess } from './member-process.ts';
import type { MemberProcess } from './member-process.ts';

// etcd raises any lease TTL below 1.5 × its election timeout (1.5 s here) to that minimum, and
// checks expiries every 500 ms: the victim uses the default 2 s TTL, as in production.
describe('failover of a kill -9ed node (TTL 2 s)', () => {
  const nodes: TestNode[] = [];
  const processes: MemberProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((child) => child.kill()));
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });

  it('its member key vanishes within TTL + 0.5 s (+ slack), watchers see it expire, and its activation can be taken with a greater epoch', async () => {
    const endpoints = inject('etcdEndpoints');
    const clusterName = uniqueClusterName();
    const watcher = createTestNode({ endpoints, clusterName, nodeId: 'survivor' });
    nodes.push(watcher);
    await watcher.membership.start(memberInfo('survivor'));
    const id = parseIdentity('orders/acct-1');

    const victim = await startMemberProcess(endpoints, clusterName, 'victim', id.text);
    processes.push(victim);
    expect(victim.epoch).not.toBeNull();
    await watcher.waitFor(
      (event) => event.type === 'member-joined' && event.member.nodeId === 'victim',
      3000,
    );
    const before = await watcher.activations.tryActivate(id);
    expect(before.acquired).toBe(false);

    const killedAt = Date.now();
    await victim.kill();
    const left = await watcher.waitFor(
      (event) => event.type === 'member-left' && event.member.nodeId === 'victim',
      3000,
    );
    const vanishedMs = Date.now() - killedAt;
    expect(left).toMatchObject({ reason: 'expired' });
    expect(vanishedMs).toBeLessThan(2000 + 500 + 250);
    console.info(`killed member key vanished after ${String(vanishedMs)} ms (TTL 2000 ms)`);

    const after = await watcher.activations.tryActivate(id);
    if (!after.acquired || victim.epoch === null) throw new Error('survivor should take the activation');
    expect(after.activation.epoch).toBeGreaterThan(victim.epoch);
    expect(await watcher.activations.whoHolds(id)).toMatchObject({
      nodeId: 'survivor',
      epoch: after.activation.epoch,
    });
  });
});
