import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ClusterNode, loadOrCreateClusterTls } from '../../../cluster/index.ts';
import type { ClusterKind, LocalActivation, NodeRole, PassivationReason } from '../../../cluster/index.ts';
import { loadConfig, resolveSecrets } from '../../../nodes/config/index.ts';
import type { Config } from '../../../nodes/config/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { testCounterKind } from './fixtures/test-counter-kind.ts';

/** One activation of an identity on a node: from spawn to stop (stoppedAt undefined while live). */
export interface ActivationSpan {
  readonly identity: string;
  readonly nodeId: string;
  readonly epoch: bigint | undefined;
  readonly startedAt: number;
  stoppedAt: number | undefined;
  reason: PassivationReason | undefined;
}

export function uniqueClusterName(): string {
  return `cn${randomBytes(5).toString('hex')}`;
}

/**
 * The configuration of a whole node (`startNode`) joining an etcd cluster as `gekko node start`
 * would: its data folder under `dir`, the cluster CA in `<dir>/tls` (loadOrCreateCa first), free
 * ports, and a 6 s member lease (several nodes share one event loop of a loaded machine; fencing is
 * tested elsewhere). `env` adds or overrides variables.
 */
export async function clusterNodeConfig(options: {
  readonly dir: string;
  readonly nodeId: string;
  readonly roles: string;
  readonly clusterName: string;
  readonly databaseUrl: string;
  readonly etcdEndpoints: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}): Promise<{ config: Config; logger: Logger }> {
  const dataDir = join(options.dir, options.nodeId);
  await mkdir(dataDir, { recursive: true });
  const logger = testLogger(options.nodeId);
  const config = resolveSecrets(
    loadConfig({
      env: {
        NINJA_ENV: 'test',
        NINJA_NODE_ID: options.nodeId,
        NINJA_DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        NINJA_ROLES: options.roles,
        NINJA_ETCD_ENDPOINTS: options.etcdEndpoints.join(','),
        NINJA_CLUSTER_NAME: options.clusterName,
        NINJA_CLUSTER_LISTEN: '127.0.0.1:0',
        NINJA_TLS_DIR: join(options.dir, 'tls'),
        NINJA_MEMBER_TTL_SECONDS: '6',
        ...options.env,
      },
    }),
    logger,
  );
  return { config, logger };
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts an in-process cluster node hosting the test counter kind, recording its activations in `spans`. */
export async function startTestClusterNode(options: {
  readonly nodeId: string;
  readonly roles: readonly NodeRole[];
  readonly endpoints: readonly string[];
  readonly clusterName: string;
  readonly certDir: string;
  readonly pool: pg.Pool;
  readonly spans: ActivationSpan[];
  readonly ttlSeconds?: number;
  /** The counter kind's idle timeout (default none). */
  readonly idleTimeoutMs?: number;
  /** Default: a registry of its own. */
  readonly metrics?: MetricsRegistry;
  /** Largest envelope its transport sends or accepts (default the transport's, 4 MiB). */
  readonly maxEnvelopeBytes?: number;
  /** Bound on a planned stop's passivate hook (default the node's, 5 s). */
  readonly passivateTimeoutMs?: number;
  /** Kinds registered besides the test counter. */
  readonly extraKinds?: readonly ClusterKind<unknown, unknown>[];
  /** 'static': a one-node cluster without etcd (`endpoints` and `clusterName` unused). Default 'etcd'. */
  readonly membership?: 'etcd' | 'static';
}): Promise<ClusterNode> {
  const tls = await loadOrCreateClusterTls(options.certDir, options.nodeId);
  const node = new ClusterNode({
    nodeId: options.nodeId,
    roles: options.roles,
    version: 'test',
    logger: testLogger(options.nodeId),
    metrics: options.metrics ?? new MetricsRegistry(),
    membership:
      options.membership === 'static'
        ? { type: 'static' }
        : {
            type: 'etcd',
            endpoints: options.endpoints,
            clusterName: options.clusterName,
            ttlSeconds: options.ttlSeconds ?? 2,
          },
    transport: {
      listen: '127.0.0.1:0',
      tls,
      options: {
        reconnect: { initialMs: 20, maxMs: 200 },
        stopDeadlineMs: 1000,
        ...(options.maxEnvelopeBytes === undefined ? {} : { maxEnvelopeBytes: options.maxEnvelopeBytes }),
      },
    },
    pool: options.pool,
    ...(options.passivateTimeoutMs === undefined ? {} : { passivateTimeoutMs: options.passivateTimeoutMs }),
  });
  for (const kind of options.extraKinds ?? []) node.register(kind);
  node.register(
    testCounterKind(
      options.nodeId,
      options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs },
    ),
  );
  node.onActivation((activation: LocalActivation, passivated) => {
    if (passivated === undefined) {
      options.spans.push({
        identity: activation.identity.text,
        nodeId: activation.nodeId,
        epoch: activation.epoch,
        startedAt: activation.at,
        stoppedAt: undefined,
        reason: undefined,
      });
      return;
    }
    const span = options.spans.find(
      (s) =>
        s.identity === activation.identity.text &&
        s.nodeId === activation.nodeId &&
        s.stoppedAt === undefined,
    );
    if (span !== undefined) {
      span.stoppedAt = activation.at;
      span.reason = passivated;
    }
  });
  await node.start();
  return node;
}

/** Spans of one identity that overlap in time (two live activations at once): must be empty. */
export function overlappingSpans(spans: readonly ActivationSpan[]): string[] {
  const byIdentity = new Map<string, ActivationSpan[]>();
  for (const span of spans) {
    const list = byIdentity.get(span.identity) ?? [];
    list.push(span);
    byIdentity.set(span.identity, list);
  }
  const problems: string[] = [];
  for (const [identity, list] of byIdentity) {
    const sorted = [...list].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < sorted.length; i += 1) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (previous === undefined || current === undefined) continue;
      if (previous.stoppedAt === undefined || previous.stoppedAt > current.startedAt) {
        problems.push(
          `${identity}: ${previous.nodeId} (epoch ${String(previous.epoch)}) still live when ${current.nodeId} started`,
        );
      }
      if (previous.epoch !== undefined && current.epoch !== undefined && current.epoch <= previous.epoch) {
        problems.push(
          `${identity}: epoch did not increase (${String(previous.epoch)} then ${String(current.epoch)})`,
        );
      }
    }
  }
  return problems;
}

/** Waits until `check` holds, polling every 25 ms; throws after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Identities whose journal has events of an older epoch after a newer one (interleaved writers). */
export async function interleavedJournals(pool: pg.Pool, kind: string): Promise<string[]> {
  const result = await pool.query<{ identity: string }>(
    `SELECT DISTINCT identity FROM (
       SELECT identity, epoch, lag(epoch) OVER (PARTITION BY identity ORDER BY sequence_nr) AS previous
       FROM actor_journal WHERE identity LIKE $1
     ) AS j WHERE previous IS NOT NULL AND epoch < previous`,
    [`${kind}/%`],
  );
  return result.rows.map((row) => row.identity);
}
