import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import type { ClusterNode } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, increment } from './fixtures/test-counter-kind.ts';

const IDENTITIES = Array.from({ length: 40 }, (_, i) => `${TEST_COUNTER_KIND}/s${String(i)}`);

interface StatusJson {
  readonly clusterName: string;
  readonly viewOf: string;
  readonly members: readonly {
    readonly nodeId: string;
    readonly address: string;
    readonly roles: readonly string[];
    readonly state: string;
    readonly startedAt: string;
    readonly actors: number;
    readonly actorsByKind: Readonly<Record<string, number>>;
  }[];
}

/** Runs `gekko …` in this process (same code as the binary), collecting what it prints. */
async function gekko(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'gekko', ...args], {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('ClusterService on the cluster listener, through gekko cluster --node', () => {
  let database: TestDatabase;
  let certs: { dir: string; remove: () => Promise<void> };
  let clusterName: string;
  let endpoints: string[];
  const nodes: ClusterNode[] = [];
  const spans: ActivationSpan[] = [];

  const addressOf = (node: ClusterNode): string => {
    const address = node.self?.address;
    if (address === undefined) throw new Error(`${node.nodeId} has no address`);
    return address;
  };
  const nodeFlags = (node: ClusterNode, clientName?: string): string[] => [
    '--node',
    addressOf(node),
    '--tls-dir',
    certs.dir,
    ...(clientName === undefined ? [] : ['--client-name', clientName]),
  ];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 10 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-cluster-service-');
    clusterName = uniqueClusterName();
    endpoints = inject('etcdEndpoints');
    for (const nodeId of ['s1', 's2']) {
      nodes.push(
        await startTestClusterNode({
          nodeId,
          roles: ['trading'],
          endpoints,
          clusterName,
          certDir: certs.dir,
          pool: database.pool,
          spans,
        }),
      );
    }
    await eventually(
      () => nodes.every((node) => node.membership.members().length === 2),
      10_000,
      'two members',
    );
    const first = nodes[0] as ClusterNode;
    await Promise.all(IDENTITIES.map((id) => first.request(id, increment(1), { timeoutMs: 10_000 })));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database.drop();
    await certs.remove();
  });

  it('reports members, roles, state and actors by kind as the asked node sees them (JSON)', async () => {
    const [s1, s2] = nodes as [ClusterNode, ClusterNode];
    const result = await gekko(['cluster', 'status', '--json', ...nodeFlags(s2)]);
    expect(result.code, result.err).toBe(0);
    const status = JSON.parse(result.out) as StatusJson;
    expect(status.clusterName).toBe(clusterName);
    expect(status.viewOf).toBe('s2');
    expect(status.members.map((m) => m.nodeId)).toEqual(['s1', 's2']);
    expect(status.members.map((m) => m.address)).toEqual([addressOf(s1), addressOf(s2)]);
    expect(status.members.every((m) => m.state === 'up' && m.roles.join() === 'trading')).toBe(true);
    expect(status.members.every((m) => !Number.isNaN(Date.parse(m.startedAt)))).toBe(true);
    expect(status.members.map((m) => m.actors)).toEqual([
      s1.localIdentities().length,
      s2.localIdentities().length,
    ]);
    expect(status.members.reduce((sum, m) => sum + (m.actorsByKind[TEST_COUNTER_KIND] ?? 0), 0)).toBe(
      IDENTITIES.length,
    );
  });

  it('prints a table by default, and etcd gives the same members and counts', async () => {
    const human = await gekko(['cluster', 'status', ...nodeFlags(nodes[0] as ClusterNode)]);
    expect(human.code, human.err).toBe(0);
    const lines = human.out.split('\n');
    expect(lines[0]).toBe(`cluster ${clusterName} (as s1 sees it): 2 members`);
    expect(lines[1]).toMatch(/^NODE\s+ADDRESS\s+ROLES\s+VERSION\s+STATE\s+ACTORS\s+BY KIND\s+STARTED$/);
    expect(lines[2]).toMatch(
      new RegExp(`^s1\\s+\\S+\\s+trading\\s+test\\s+up\\s+\\d+\\s+${TEST_COUNTER_KIND}=\\d+`),
    );

    const viaEtcd = await gekko([
      'cluster',
      'status',
      '--json',
      '--etcd',
      endpoints.join(','),
      '--cluster-name',
      clusterName,
    ]);
    expect(viaEtcd.code, viaEtcd.err).toBe(0);
    const fromEtcd = JSON.parse(viaEtcd.out) as StatusJson;
    expect(fromEtcd.viewOf).toBe('etcd');
    expect(fromEtcd.members.map((m) => [m.nodeId, m.actors])).toEqual(
      nodes.map((node) => [node.nodeId, node.localIdentities().length]),
    );
  });

  it('names the address when the node is unreachable, and names --node, --etcd and the gateway without either', async () => {
    const unreachable = await gekko(['cluster', 'status', '--node', '127.0.0.1:1', '--tls-dir', certs.dir]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(
      /^error \(UNAVAILABLE\): node at 127\.0\.0\.1:1 did not answer GetClusterStatus/,
    );

    // Without either, the gateway is asked (here none listens at the address given); the error
    // names the other ways in too, also when there are no credentials for a gateway.
    const neither = await gekko(['cluster', 'status', '--gateway', '127.0.0.1:1', '--api-key', 'ngk_x.y']);
    expect(neither.code).toBe(1);
    expect(neither.err).toMatch(/^error \(UNAVAILABLE\): cannot reach the gateway at 127\.0\.0\.1:1 /);
    expect(neither.err).toContain('--etcd <urls> or --node host:port');
    const anonymous = await gekko(['cluster', 'status', '--gateway', '127.0.0.1:1']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toMatch(/^error \(UNAUTHENTICATED\): .*--etcd <urls> or --node host:port/);

    const noCa = await gekko([
      'cluster',
      'status',
      '--node',
      addressOf(nodes[0] as ClusterNode),
      '--tls-dir',
      `${certs.dir}/none`,
    ]);
    expect(noCa.code).toBe(1);
    expect(noCa.err).toMatch(/FAILED_PRECONDITION.*no cluster CA/);
  });

  it('refuses DrainNode to a non-admin certificate and for a non-member, drains with the admin one', async () => {
    const [s1, s2] = nodes as [ClusterNode, ClusterNode];
    // s1's own node certificate is signed by the cluster CA but is not an administrator's.
    const denied = await gekko(['cluster', 'drain', 's2', ...nodeFlags(s1, 's1')]);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/^error \(PERMISSION_DENIED\): DrainNode at .*administrators.*"s1"/);

    const unknown = await gekko(['cluster', 'drain', 'nobody', ...nodeFlags(s1)]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error \(NOT_FOUND\): .*nobody is not a member/);
    expect(s2.membership.members().length).toBe(2);

    const drained = await gekko(['cluster', 'drain', 's2', '--timeout', '20', ...nodeFlags(s1)]);
    expect(drained.code, drained.err).toBe(0);
    expect(drained.out).toBe('drain of s2 requested (accepted by s1)\ns2 drained and left');
    await s2.whenStopped();
    expect(s1.membership.members().map((m) => m.nodeId)).toEqual(['s1']);
    // Its actors moved: every identity still answers, now from s1.
    const replies = await Promise.all(
      IDENTITIES.map((id) => s1.request(id, increment(1), { timeoutMs: 10_000 })),
    );
    expect(replies.every((reply) => (reply as { value: number }).value === 2)).toBe(true);
  });

  it('drains the asked node itself and reports it once its listener is gone', async () => {
    const s1 = nodes[0] as ClusterNode;
    const drained = await gekko(['cluster', 'drain', 's1', '--timeout', '20', ...nodeFlags(s1)]);
    expect(drained.code, drained.err).toBe(0);
    expect(drained.out).toBe('drain of s1 requested (accepted by s1)\ns1 drained and left');
    await s1.whenStopped();
  });
});
