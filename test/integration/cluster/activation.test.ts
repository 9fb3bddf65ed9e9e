import { afterEach, describe, expect, inject, it } from 'vitest';
import { FencedError, parseIdentity } from '../../../cluster/index.ts';
import { createTestNode, memberInfo, uniqueClusterName } from './cluster-test-nodes.ts';
import type { TestNode } from './cluster-test-nodes.ts';

describe('etcd activation registry', () => {
  const nodes: TestNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });

  async function startNodes(count: number): Promise<TestNode[]> {
    const clusterName = uniqueClusterName();
    const started = Array.from({ length: count }, (_, index) =>
      createTestNode({ endpoints: inject('etcdEndpoints'), clusterName, nodeId: `n${String(index)}` }),
    );
    nodes.push(...started);
    await Promise.all(started.map((node) => node.membership.start(memberInfo(node.nodeId))));
    return started;
  }

  it('of two contenders exactly one wins; after the winner leaves the other takes it with a greater epoch', async () => {
    const [a, b] = await startNodes(2);
    if (a === undefined || b === undefined) throw new Error('nodes');
    const id = parseIdentity('orders/0b7e6c1e-3f0a-4c7e-9d55-2f1b8a0c9e11');
    const results = await Promise.all([a.activations.tryActivate(id), b.activations.tryActivate(id)]);
    const winners = results.filter((result) => result.acquired);
    expect(winners).toHaveLength(1);
    const winner = winners[0];
    if (winner?.acquired !== true) throw new Error('no winner');
    const loser = results.find((result) => !result.acquired);
    expect(loser).toMatchObject({
      acquired: false,
      holder: { nodeId: winner.activation.nodeId, epoch: winner.activation.epoch },
    });

    // Idempotent for the holder; still refused to the other.
    const winnerNode = winner.activation.nodeId === a.nodeId ? a : b;
    const otherNode = winnerNode === a ? b : a;
    expect(await winnerNode.activations.tryActivate(id)).toMatchObject({
      acquired: true,
      activation: { epoch: winner.activation.epoch },
    });
    expect((await otherNode.activations.tryActivate(id)).acquired).toBe(false);
    expect((await winnerNode.registry.expose()).body).toContain('ninja_cluster_activations_held 1');

    // The winner stops: its lease is revoked and its activation key goes with it.
    await winnerNode.close();
    nodes.splice(nodes.indexOf(winnerNode), 1);
    expect(await otherNode.activations.whoHolds(id)).toBeUndefined();
    const taken = await otherNode.activations.tryActivate(id);
    if (!taken.acquired) throw new Error('the other node should take the activation');
    expect(taken.activation.epoch).toBeGreaterThan(winner.activation.epoch);
  });

  it('release deletes only the activation it names', async () => {
    const [a, b] = await startNodes(2);
    if (a === undefined || b === undefined) throw new Error('nodes');
    const id = parseIdentity('risk/acct-9');
    const first = await a.activations.tryActivate(id);
    if (!first.acquired) throw new Error('a should activate');
    expect(await a.activations.release(first.activation)).toBe(true);
    expect(a.activations.held()).toEqual([]);
    const second = await b.activations.tryActivate(id);
    if (!second.acquired) throw new Error('b should activate');
    expect(second.activation.epoch).toBeGreaterThan(first.activation.epoch);
    // A stale release (old epoch) must not delete b's activation.
    expect(await a.activations.release(first.activation)).toBe(false);
    expect(await b.activations.whoHolds(id)).toMatchObject({ nodeId: 'n1', epoch: second.activation.epoch });
  });

  it('refuses to activate on a node that is not registered', async () => {
    const node = createTestNode({
      endpoints: inject('etcdEndpoints'),
      clusterName: uniqueClusterName(),
      nodeId: 'idle',
    });
    nodes.push(node);
    await expect(node.activations.tryActivate(parseIdentity('orders/x'))).rejects.toBeInstanceOf(FencedError);
  });
});
