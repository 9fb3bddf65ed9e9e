import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineActor } from '../../../actors/kernel/index.ts';
import { jsonMessageCodec } from '../../../cluster/index.ts';
import type { ClusterKind, ClusterNode } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  eventually,
  overlappingSpans,
  startTestClusterNode,
  tempDir,
  uniqueClusterName,
} from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, get, increment } from './fixtures/test-counter-kind.ts';
import type { CounterReply } from './fixtures/test-counter-kind.ts';

const IDENTITIES = 16;
/** A stopping node announces `draining` first, so placement may move its actors before the shutdown does. */
const PLANNED = ['moved', 'shutdown'];

/** A kind whose passivate hook never finishes: a planned stop must go ahead after the bound. */
const STUCK_KIND = 'test-stuck-hook';
let stuckHookCalls = 0;
const stuckKind: ClusterKind<number, { readonly type: 'poke' }> = {
  kind: { name: STUCK_KIND, roles: ['trading'], keySegments: 1, description: 'hook never ends' },
  actor: defineActor<number, { readonly type: 'poke' }>({
    kind: STUCK_KIND,
    initialState: () => 0,
    receive: (state) => state + 1,
    passivate: () => {
      stuckHookCalls += 1;
      return new Promise<void>(() => undefined);
    },
  }),
  codec: jsonMessageCodec<{ readonly type: 'poke' }>({ types: ['poke'] }),
};

describe('planned stops (moved, drain, shutdown) snapshot persistent actors', () => {
  let database: TestDatabase;
  let certs: { dir: string; remove: () => Promise<void> };
  let clusterName: string;
  const spans: ActivationSpan[] = [];
  const nodes: ClusterNode[] = [];
  const ids = Array.from({ length: IDENTITIES }, (_, i) => `${TEST_COUNTER_KIND}/planned-${String(i)}`);

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 8 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-planned-');
    clusterName = uniqueClusterName();
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database.drop();
    await certs.remove();
  });

  const start = async (
    nodeId: string,
    extra: {
      readonly passivateTimeoutMs?: number;
      readonly extraKinds?: readonly ClusterKind<unknown, unknown>[];
      readonly clusterName?: string;
    } = {},
  ): Promise<ClusterNode> => {
    const node = await startTestClusterNode({
      nodeId,
      roles: ['trading'],
      endpoints: inject('etcdEndpoints'),
      clusterName,
      ...extra,
      certDir: certs.dir,
      pool: database.pool,
      spans,
    });
    nodes.push(node);
    return node;
  };
  const latestSnapshot = async (identity: string): Promise<number | undefined> => {
    const result = await database.pool.query<{ sequence_nr: string }>(
      'SELECT sequence_nr FROM actor_snapshots WHERE identity = $1 ORDER BY sequence_nr DESC LIMIT 1',
      [identity],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : Number(row.sequence_nr);
  };
  const stoppedOn = (nodeId: string, identity: string): ActivationSpan | undefined =>
    spans.find((s) => s.identity === identity && s.nodeId === nodeId && s.stoppedAt !== undefined);

  it('a move by placement, a drain and a shutdown each leave a snapshot of the last state', async () => {
    const p1 = await start('p1');
    for (const id of ids) {
      for (let i = 0; i < 3; i += 1) await p1.request<CounterReply, unknown>(id, increment(1));
    }
    expect(p1.localIdentities()).toHaveLength(IDENTITIES);

    // p2 joins: placement moves some identities to it; p1 passivates them (reason "moved").
    const p2 = await start('p2');
    expect(p2.self?.nodeId).toBe('p2');
    const movedIds = (): string[] => ids.filter((id) => p1.ownerOf(id)?.nodeId === 'p2');
    await eventually(() => movedIds().length > 0, 10_000, 'p1 to see p2 as an owner');
    const moved = movedIds();
    await eventually(
      () => moved.every((id) => stoppedOn('p1', id)?.reason === 'moved'),
      20_000,
      'the moved identities to passivate on p1',
    );
    for (const id of moved) expect(await latestSnapshot(id), id).toBe(3);

    // One more increment each, wherever it lives now; then drain p2 from p1 (through etcd).
    for (const id of ids) {
      expect((await p1.request<CounterReply, unknown>(id, increment(1))).value).toBe(4);
    }
    await p1.drain('p2', 'test-drain');
    await p2.whenStopped();
    for (const id of moved) {
      const spansOnP2 = spans.filter((s) => s.identity === id && s.nodeId === 'p2');
      expect(spansOnP2).toHaveLength(1);
      expect(PLANNED).toContain(spansOnP2[0]?.reason);
      expect(await latestSnapshot(id), id).toBe(4);
    }

    // The drained identities come back on p1 from their snapshots; p1's shutdown snapshots all.
    for (const id of moved) expect((await p1.request<CounterReply, unknown>(id, get)).value).toBe(4);
    await p1.stop();
    for (const id of ids) expect(await latestSnapshot(id), id).toBe(4);
    expect(overlappingSpans(spans)).toEqual([]);
  });

  it('a passivate hook that never finishes delays a shutdown only by the bound', async () => {
    // A cluster of its own: p3 alone hosts the stuck kind.
    const p3 = await start('p3', {
      clusterName: uniqueClusterName(),
      passivateTimeoutMs: 200,
      extraKinds: [stuckKind as unknown as ClusterKind<unknown, unknown>],
    });
    const stuck = `${STUCK_KIND}/one`;
    p3.send(stuck, { type: 'poke' });
    await eventually(() => spans.some((s) => s.identity === stuck), 10_000, 'the stuck actor to activate');
    await p3.stop();
    expect(stuckHookCalls).toBe(1);
    expect(PLANNED).toContain(stoppedOn('p3', stuck)?.reason);
  });
});
