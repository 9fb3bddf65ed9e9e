import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isRetryable, loadOrCreateCa } from '../../../cluster/index.ts';
import type { ClusterNode, MembershipEvent } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  eventually,
  interleavedJournals,
  startTestClusterNode,
  tempDir,
  uniqueClusterName,
} from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, get, increment } from './fixtures/test-counter-kind.ts';
import { runGekko, startNodeProcess } from './node-process.ts';
import type { NodeProcess } from './node-process.ts';

const IDENTITIES = Array.from({ length: 300 }, (_, i) => `${TEST_COUNTER_KIND}/p${String(i)}`);

describe('three node processes and kill -9', () => {
  let database: TestDatabase;
  let dirs: { dir: string; remove: () => Promise<void> };
  let driver: ClusterNode;
  let etcdFlags: string[];
  let startProcess: (nodeId: string) => Promise<NodeProcess>;
  const processes: NodeProcess[] = [];
  const acked = new Map<string, number>();
  const attempted = new Map<string, number>();

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 5 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    dirs = await tempDir('gekko-node-processes-');
    const tlsDir = join(dirs.dir, 'tls');
    await loadOrCreateCa(tlsDir);
    const clusterName = uniqueClusterName();
    const endpoints = inject('etcdEndpoints');
    etcdFlags = ['--etcd', endpoints.join(','), '--cluster-name', clusterName];
    startProcess = async (nodeId) => {
      const dataDir = join(dirs.dir, nodeId);
      await mkdir(dataDir, { recursive: true });
      const started = await startNodeProcess({
        nodeId,
        endpoints,
        clusterName,
        databaseUrl: database.url,
        tlsDir,
        dataDir,
      });
      processes.push(started);
      return started;
    };
    await Promise.all(['p1', 'p2', 'p3'].map((nodeId) => startProcess(nodeId)));
    processes.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    // The driver hosts nothing: the counter kind needs the trading role, the driver is a gateway.
    const spans: ActivationSpan[] = [];
    driver = await startTestClusterNode({
      nodeId: 'driver',
      roles: ['gateway'],
      endpoints,
      clusterName,
      certDir: tlsDir,
      pool: database.pool,
      spans,
    });
    await eventually(() => driver.membership.members().length === 4, 15_000, 'four members');
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await driver.stop();
    await database.drop();
    await dirs.remove();
  });

  async function incrementUntilAcked(
    id: string,
    deadlineAt: number,
  ): Promise<{ nodeId: string; at: number }> {
    for (;;) {
      attempted.set(id, (attempted.get(id) ?? 0) + 1);
      try {
        const reply = await driver.request(id, increment(1), { timeoutMs: 2000 });
        acked.set(id, (acked.get(id) ?? 0) + 1);
        return { nodeId: reply.nodeId, at: performance.now() };
      } catch (error) {
        if (!isRetryable(error) || Date.now() > deadlineAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  it('answers every identity of a killed node from its new owner with every acknowledged increment', async () => {
    const owners = new Map<string, string>();
    await Promise.all(
      IDENTITIES.map(async (id) => {
        const { nodeId } = await incrementUntilAcked(id, Date.now() + 20_000);
        owners.set(id, nodeId);
        expect(nodeId).toBe(driver.ownerOf(id)?.nodeId);
      }),
    );
    const status = await runGekko(['cluster', 'status', '--json', ...etcdFlags]);
    expect(status.status, status.stderr).toBe(0);
    const members = (
      JSON.parse(status.stdout) as {
        members: { nodeId: string; state: string; actorsByKind: Record<string, number> }[];
      }
    ).members;
    expect(members.map((m) => m.nodeId)).toEqual(['driver', 'p1', 'p2', 'p3']);
    expect(members.every((m) => m.state === 'up')).toBe(true);
    // The nodes host other kinds too (e.g. risk/cluster, the kill switch every node polls).
    const counters = members.reduce((sum, m) => sum + (m.actorsByKind[TEST_COUNTER_KIND] ?? 0), 0);
    expect(counters, status.stdout).toBe(300);

    const metrics = await (await fetch(`${(processes[0] as NodeProcess).http}/metrics`)).text();
    for (const name of [
      'ninja_cluster_local_actors',
      'ninja_cluster_routed_total',
      'ninja_remote_batch_size',
    ]) {
      expect(metrics).toContain(name);
    }
    expect((await fetch(`${(processes[0] as NodeProcess).http}/readyz`)).status).toBe(200);

    const victim = processes[1] as NodeProcess;
    const moved = IDENTITIES.filter((id) => owners.get(id) === victim.nodeId);
    expect(moved.length).toBeGreaterThan(50);

    let detectedAt: number | undefined;
    const unsubscribe = driver.membership.subscribe((event: MembershipEvent) => {
      if (event.type === 'member-left' && event.member.nodeId === victim.nodeId)
        detectedAt ??= performance.now();
    });
    const killedAt = performance.now();
    await victim.kill('SIGKILL');
    const answers = await Promise.all(moved.map((id) => incrementUntilAcked(id, Date.now() + 20_000)));
    unsubscribe();
    const firstAnswerAt = Math.min(...answers.map((a) => a.at));
    const lastAnswerAt = Math.max(...answers.map((a) => a.at));
    for (const answer of answers) expect(answer.nodeId).not.toBe(victim.nodeId);
    expect(detectedAt).toBeDefined();
    const detection = (detectedAt ?? killedAt) - killedAt;
    // Printed for the record: the failover figure of issue 3 (target ≤ 3 s at a 2 s TTL).
    console.log(
      `failover (TTL 2 s, ${String(moved.length)} identities): kill -9 → member-left ${detection.toFixed(0)} ms; ` +
        `→ first answer from the new owner ${(firstAnswerAt - killedAt).toFixed(0)} ms ` +
        `(re-activation ${(firstAnswerAt - (detectedAt ?? killedAt)).toFixed(0)} ms after detection); ` +
        `→ all answered ${(lastAnswerAt - killedAt).toFixed(0)} ms`,
    );

    const values = await Promise.all(
      IDENTITIES.map(async (id) => ({ id, reply: await driver.request(id, get, { timeoutMs: 5000 }) })),
    );
    for (const { id, reply } of values) {
      expect(reply.value, id).toBeGreaterThanOrEqual(acked.get(id) ?? 0);
      expect(reply.value, id).toBeLessThanOrEqual(attempted.get(id) ?? 0);
    }
    expect(await interleavedJournals(database.pool, TEST_COUNTER_KIND)).toEqual([]);
  }, 90_000);

  /** Increments every identity in turn, 30 at a time, until the returned function is called. */
  function steadyStream(): () => Promise<void> {
    let streaming = true;
    const stream = (async () => {
      let i = 0;
      while (streaming) {
        const from = i % IDENTITIES.length;
        i += 30;
        await Promise.all(
          IDENTITIES.slice(from, from + 30).map((id) => incrementUntilAcked(id, Date.now() + 20_000)),
        );
      }
    })();
    return async () => {
      streaming = false;
      await stream;
    };
  }

  async function expectEveryAcknowledgedIncrement(): Promise<void> {
    const values = await Promise.all(
      IDENTITIES.map(async (id) => ({ id, reply: await driver.request(id, get, { timeoutMs: 5000 }) })),
    );
    for (const { id, reply } of values) {
      expect(reply.value, id).toBeGreaterThanOrEqual(acked.get(id) ?? 0);
      expect(reply.value, id).toBeLessThanOrEqual(attempted.get(id) ?? 0);
    }
    expect(await interleavedJournals(database.pool, TEST_COUNTER_KIND)).toEqual([]);
  }

  it('drains a node under a steady stream of increments without losing an acknowledged one', async () => {
    const drained = processes[2] as NodeProcess;
    const stopStream = steadyStream();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const drain = await runGekko(['cluster', 'drain', drained.nodeId, ...etcdFlags, '--timeout', '30']);
    expect(drain.status, drain.stderr).toBe(0);
    expect(drain.stdout).toContain(`${drained.nodeId} drained and left`);
    expect(await drained.exited).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopStream();
    expect(driver.ownerOf(IDENTITIES[0] ?? '')?.nodeId).toBe('p1');
    await expectEveryAcknowledgedIncrement();
  }, 60_000);

  it('restarts every node in turn (SIGTERM, start again) under a steady stream, losing no acknowledged increment', async () => {
    await Promise.all(['p2', 'p3'].map((nodeId) => startProcess(nodeId)));
    const allUp = (): boolean => driver.membership.members().filter((m) => m.state === 'up').length === 4;
    await eventually(allUp, 15_000, 'four members up');
    const stopStream = steadyStream();
    for (const nodeId of ['p1', 'p2', 'p3']) {
      const old = processes.find(
        (p) => p.nodeId === nodeId && p.child.exitCode === null && p.child.signalCode === null,
      );
      if (old === undefined) throw new Error(`${nodeId} is not running`);
      expect(await old.kill('SIGTERM'), old.logTail()).toBe(0);
      await startProcess(nodeId);
      await eventually(allUp, 15_000, `${nodeId} back up`);
    }
    await stopStream();
    const hosts = new Set(
      await Promise.all(
        IDENTITIES.map(async (id) => (await driver.request(id, get, { timeoutMs: 5000 })).nodeId),
      ),
    );
    expect([...hosts].sort()).toEqual(['p1', 'p2', 'p3']);
    await expectEveryAcknowledgedIncrement();
  }, 90_000);
});
