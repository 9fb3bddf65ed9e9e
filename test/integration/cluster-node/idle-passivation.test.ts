import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countActivations } from '../../../cluster/index.ts';
import type { ClusterNode } from '../../../cluster/index.ts';
import { createEtcdClient } from '../../../cluster/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, get, increment } from './fixtures/test-counter-kind.ts';
import type { CounterReply } from './fixtures/test-counter-kind.ts';

const IDLE_MS = 300;

describe('idle passivation of a cluster kind', () => {
  let database: TestDatabase;
  let certs: { dir: string; remove: () => Promise<void> };
  let node: ClusterNode;
  let clusterName: string;
  const metrics = new MetricsRegistry();
  const spans: ActivationSpan[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 5 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-idle-');
    clusterName = uniqueClusterName();
    node = await startTestClusterNode({
      nodeId: 'i1',
      roles: ['trading'],
      endpoints: inject('etcdEndpoints'),
      clusterName,
      certDir: certs.dir,
      pool: database.pool,
      spans,
      idleTimeoutMs: IDLE_MS,
      metrics,
    });
  });

  afterAll(async () => {
    await node.stop();
    await database.drop();
    await certs.remove();
  });

  const heldKeys = async (): Promise<number> => {
    const client = createEtcdClient({ endpoints: inject('etcdEndpoints') });
    try {
      return (await countActivations(client, clusterName)).get('i1')?.get(TEST_COUNTER_KIND) ?? 0;
    } finally {
      client.close();
    }
  };
  const spansOf = (identity: string): ActivationSpan[] => spans.filter((span) => span.identity === identity);

  it('snapshots, stops and releases an idle activation, and recovers it on the next message', async () => {
    const id = `${TEST_COUNTER_KIND}/idle-1`;
    for (let i = 0; i < 3; i += 1) await node.request<CounterReply, unknown>(id, increment(1));
    expect(await heldKeys()).toBe(1);

    await eventually(() => spansOf(id)[0]?.reason === 'idle', 10_000, 'an idle passivation');
    expect(node.localIdentities().map((i) => i.text)).not.toContain(id);
    expect(await heldKeys()).toBe(0);
    const snapshot = await database.pool.query<{ sequence_nr: string }>(
      'SELECT sequence_nr FROM actor_snapshots WHERE identity = $1 ORDER BY sequence_nr DESC LIMIT 1',
      [id],
    );
    expect(snapshot.rows.map((row) => Number(row.sequence_nr))).toEqual([3]);

    const reply = await node.request<CounterReply, unknown>(id, get);
    expect(reply.value).toBe(3);
    const [first, second] = spansOf(id);
    expect(second?.epoch).toBeGreaterThan(first?.epoch ?? 0n);
    expect(await heldKeys()).toBe(1);

    const text = await metrics.registry.getSingleMetricAsString('ninja_cluster_passivations_total');
    expect(text).toMatch(new RegExp(`kind="${TEST_COUNTER_KIND}",reason="idle"} [1-9]`));
  });

  it('keeps an activation that keeps getting messages', async () => {
    const busy = `${TEST_COUNTER_KIND}/busy-1`;
    const until = Date.now() + IDLE_MS * 3;
    let count = 0;
    while (Date.now() < until) {
      await node.request<CounterReply, unknown>(busy, increment(1));
      count += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(spansOf(busy)).toHaveLength(1);
    expect(spansOf(busy)[0]?.stoppedAt).toBeUndefined();
    expect((await node.request<CounterReply, unknown>(busy, get)).value).toBe(count);
  });
});
