import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateCa } from '../../../cluster/index.ts';
import type { ClusterNode } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, increment } from './fixtures/test-counter-kind.ts';
import { startNodeProcess } from './node-process.ts';
import type { NodeProcess } from './node-process.ts';

/** The metrics issue 3 asks every node to serve, by what they measure. */
const REQUIRED = {
  'actors by kind': ['ninja_actors'],
  'mailbox depths': ['ninja_actor_mailbox_depth', 'ninja_actor_mailbox_depth_max'],
  'restarts and escalations': ['ninja_actor_restarts_total', 'ninja_actor_escalations_total'],
  'dead letters': ['ninja_actor_dead_letters_total'],
  'remote queue depths and batch sizes': ['ninja_remote_outbound_queue_depth', 'ninja_remote_batch_size'],
  'message and request rates and latencies': [
    'ninja_actor_messages_processed_total',
    'ninja_actor_request_duration_seconds',
    'ninja_remote_envelopes_sent_total',
    'ninja_remote_envelopes_received_total',
    'ninja_remote_request_duration_seconds',
    'ninja_cluster_routed_total',
  ],
  'membership changes': ['ninja_cluster_membership_changes_total', 'ninja_cluster_members'],
  'lease renew lag': ['ninja_cluster_lease_keepalive_gap_ms', 'ninja_cluster_lease_keepalive_age_ms'],
  'activations and passivations': [
    'ninja_cluster_local_actors',
    'ninja_cluster_local_activations_total',
    'ninja_cluster_passivations_total',
  ],
} as const;

/** The value of the sample `name{labels}` in a Prometheus text exposition (undefined when absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('a node process serves the cluster metrics at /metrics', () => {
  let database: TestDatabase;
  let dirs: { dir: string; remove: () => Promise<void> };
  let node: NodeProcess;
  let driver: ClusterNode;

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 5 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    dirs = await tempDir('gekko-node-metrics-');
    const tlsDir = join(dirs.dir, 'tls');
    await loadOrCreateCa(tlsDir);
    const clusterName = uniqueClusterName();
    const endpoints = inject('etcdEndpoints');
    const dataDir = join(dirs.dir, 'm1');
    await mkdir(dataDir, { recursive: true });
    node = await startNodeProcess({
      nodeId: 'm1',
      endpoints,
      clusterName,
      databaseUrl: database.url,
      tlsDir,
      dataDir,
    });
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
    await eventually(() => driver.membership.members().length === 2, 15_000, 'two members');
  }, 60_000);

  afterAll(async () => {
    await node.kill('SIGTERM');
    await driver.stop();
    await database.drop();
    await dirs.remove();
  });

  it('exposes every metric the issue lists, with figures from real traffic', async () => {
    const identities = Array.from({ length: 20 }, (_, i) => `${TEST_COUNTER_KIND}/m${String(i)}`);
    await Promise.all(identities.map((id) => driver.request(id, increment(1), { timeoutMs: 10_000 })));
    const response = await fetch(`${node.http}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const missing = Object.entries(REQUIRED).flatMap(([what, names]) =>
      names.filter((name) => !text.includes(`# TYPE ${name} `)).map((name) => `${name} (${what})`),
    );
    expect(missing).toEqual([]);
    expect(sample(text, `ninja_actors{kind="${TEST_COUNTER_KIND}"}`)).toBe(identities.length);
    expect(
      sample(text, `ninja_actor_messages_processed_total{kind="${TEST_COUNTER_KIND}"}`),
    ).toBeGreaterThanOrEqual(identities.length);
    // All kinds together: a node process may host actors of its own besides the test counters
    // (the per-kind figure above is exact).
    expect(sample(text, 'ninja_cluster_local_actors')).toBeGreaterThanOrEqual(identities.length);
    expect(sample(text, 'ninja_remote_envelopes_received_total{peer="driver"}')).toBeGreaterThanOrEqual(
      identities.length,
    );
    expect(sample(text, 'ninja_cluster_members{state="up"}')).toBe(2);
  });
});
