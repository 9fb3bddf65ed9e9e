import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NinjaError } from '../../../domain/errors.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { EnvelopeKind } from '../../../proto/index.ts';
import type { Envelope } from '../../../proto/index.ts';
import { RemoteTransport } from '../../../cluster/remote/index.ts';
import type { DeliverFn, RemoteTransportOptions } from '../../../cluster/remote/index.ts';
import { loadOrCreateClusterTls } from '../../../cluster/tls/index.ts';
import type { ClusterTls } from '../../../cluster/tls/index.ts';
import { testLogger } from '../../support/index.ts';

export interface TestNode {
  readonly nodeId: string;
  readonly transport: RemoteTransport;
  readonly metrics: MetricsRegistry;
  readonly tls: ClusterTls;
  readonly undeliverable: { envelope: Envelope; reason: NinjaError }[];
  address: string;
}

export async function tempCertDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gekko-remote-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An echo delivery: requests of type `echo` are answered with their payload; `fail` with NOT_FOUND-like errors. */
export const echoDeliver: DeliverFn = (envelope, from) => {
  if (envelope.kind !== EnvelopeKind.ENVELOPE_KIND_REQUEST) return;
  if (envelope.type === 'test.Echo') {
    from.respond(envelope, { type: 'test.EchoReply', payload: envelope.payload });
    return;
  }
  from.fail(envelope, new Error(`unknown message type ${envelope.type}`));
};

export async function startNode(
  certDir: string,
  nodeId: string,
  options: {
    readonly clusterName?: string;
    readonly deliver?: DeliverFn;
    readonly listen?: string;
    /** The node's TLS material instead of a certificate from certDir's CA with the default hosts. */
    readonly tls?: ClusterTls;
    readonly transport?: Partial<Omit<RemoteTransportOptions, 'logger' | 'metrics' | 'onUndeliverable'>>;
  } = {},
): Promise<TestNode> {
  const tls = options.tls ?? (await loadOrCreateClusterTls(certDir, nodeId));
  const metrics = new MetricsRegistry();
  const undeliverable: TestNode['undeliverable'] = [];
  const transport = new RemoteTransport({
    logger: testLogger(nodeId),
    metrics,
    onUndeliverable: (envelope, reason) => undeliverable.push({ envelope, reason }),
    reconnect: { initialMs: 20, maxMs: 200 },
    stopDeadlineMs: 1000,
    ...options.transport,
  });
  const { address } = await transport.start({
    listen: options.listen ?? '127.0.0.1:0',
    tls,
    nodeId,
    clusterName: options.clusterName ?? 'test-cluster',
    deliver: options.deliver ?? echoDeliver,
  });
  return { nodeId, transport, metrics, tls, undeliverable, address };
}

export function envelope(fields: Partial<Envelope> = {}): Envelope {
  return {
    target: 'counter/a',
    sender: 'test/sender',
    type: 'test.Echo',
    payload: Buffer.from('hello'),
    correlationId: '',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    error: undefined,
    ...fields,
  };
}

export async function metricValue(
  metrics: MetricsRegistry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  let total = 0;
  for (const value of data.values) {
    const matches = Object.entries(labels).every(
      ([k, v]) => String((value.labels as Record<string, unknown>)[k]) === v,
    );
    if (matches && !('metricName' in value && String(value.metricName).endsWith('_bucket')))
      total += value.value;
  }
  return total;
}

export { waitFor } from '../../support/index.ts';
