import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterNode, MembershipEvent } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, startTestEtcdCluster, testLogger } from '../../support/index.ts';
import type { TestDatabase, TestEtcdCluster } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, increment } from './fixtures/test-counter-kind.ts';

// A dedicated single-member etcd, frozen with SIGSTOP: the node loses etcd entirely.
describe('a cluster node cut off from etcd (TTL 1 s)', () => {
  let etcd: TestEtcdCluster | undefined;
  let database: TestDatabase | undefined;
  let node: ClusterNode | undefined;
  let certs: { dir: string; remove: () => Promise<void> } | undefined;

  afterAll(async () => {
    etcd?.members[0]?.signal('SIGCONT');
    await node?.stop();
    await etcd?.stop();
    await database?.drop();
    await certs?.remove();
  });

  it('stops its actors before its lease can expire, then re-activates them with newer epochs', async () => {
    etcd = await startTestEtcdCluster({ members: 1, heartbeatMs: 50, electionTimeoutMs: 500 });
    const member = etcd.members[0];
    if (member === undefined) throw new Error('no etcd member');
    database = await createTestDatabase({ poolMax: 5 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-fencing-');
    const spans: ActivationSpan[] = [];
    const started = await startTestClusterNode({
      nodeId: 'fenced',
      roles: ['trading'],
      endpoints: etcd.endpoints,
      clusterName: uniqueClusterName(),
      certDir: certs.dir,
      pool: database.pool,
      spans,
      ttlSeconds: 1,
    });
    node = started;
    const ids = Array.from({ length: 20 }, (_, i) => `${TEST_COUNTER_KIND}/f${String(i)}`);
    await Promise.all(ids.map((id) => started.request(id, increment(1), { timeoutMs: 5000 })));
    expect(started.localIdentities()).toHaveLength(20);
    await new Promise((resolve) => setTimeout(resolve, 800));

    const events: MembershipEvent[] = [];
    started.membership.subscribe((event) => events.push(event));
    const frozenAt = Date.now();
    member.signal('SIGSTOP');
    await eventually(() => started.localIdentities().length === 0, 3000, 'local actors stopped');
    const fenced = events.find((event) => event.type === 'fenced');
    if (fenced?.type !== 'fenced') throw new Error('no fenced event');
    const lastStop = Math.max(...spans.map((span) => span.stoppedAt ?? Number.POSITIVE_INFINITY));
    console.info(
      `self-fencing: fenced ${String(fenced.at - frozenAt)} ms after etcd froze; all 20 actors stopped ` +
        `${String(lastStop - fenced.at)} ms later, ${String(fenced.leaseExpiresNoEarlierThan - lastStop)} ms ` +
        `before the earliest lease expiry`,
    );
    expect(lastStop).toBeLessThan(fenced.leaseExpiresNoEarlierThan);
    expect(spans.every((span) => span.reason === 'fenced')).toBe(true);
    await expect(started.request(ids[0] ?? '', increment(1), { timeoutMs: 300 })).rejects.toMatchObject({
      retryable: true,
    });

    member.signal('SIGCONT');
    await eventually(() => events.some((event) => event.type === 'recovered'), 15_000, 'recovered');
    const replies = await Promise.all(
      ids.map((id) => started.request(id, increment(1), { timeoutMs: 5000 })),
    );
    expect(replies.every((reply) => reply.value === 2)).toBe(true);
    const again = spans.filter((span) => span.reason === undefined);
    expect(again).toHaveLength(20);
    for (const span of again) {
      const before = spans.find((s) => s.identity === span.identity && s.reason === 'fenced');
      expect(span.epoch ?? 0n).toBeGreaterThan(before?.epoch ?? 0n);
    }
  }, 60_000);
});
