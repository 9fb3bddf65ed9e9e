import { randomBytes } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import {
  EtcdActivationRegistry,
  EtcdMembershipProvider,
  clusterMetrics,
  createEtcdClient,
} from '../../../cluster/index.ts';
import type { ClusterMetrics, MembershipEvent } from '../../../cluster/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';

/** One simulated node in the test process: its own etcd client, membership and activation registry. */
export interface TestNode {
  readonly nodeId: string;
  readonly client: Etcd3;
  readonly membership: EtcdMembershipProvider;
  readonly activations: EtcdActivationRegistry;
  readonly metrics: ClusterMetrics;
  readonly registry: MetricsRegistry;
  readonly events: MembershipEvent[];
  /** Resolves with the first event (recorded from creation on) that matches, or rejects after timeoutMs. */
  waitFor(match: (event: MembershipEvent) => boolean, timeoutMs: number): Promise<MembershipEvent>;
  close(): Promise<void>;
}

export function uniqueClusterName(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function createTestNode(options: {
  readonly endpoints: readonly string[];
  readonly clusterName: string;
  readonly nodeId: string;
  readonly ttlSeconds?: number;
}): TestNode {
  const client = createEtcdClient({ endpoints: options.endpoints, requestTimeoutMs: 1000 });
  const registry = new MetricsRegistry();
  const metrics = clusterMetrics(registry);
  const logger = testLogger(`node-${options.nodeId}`);
  const membership = new EtcdMembershipProvider({
    client,
    clusterName: options.clusterName,
    ttlSeconds: options.ttlSeconds ?? 1,
    logger,
    metrics,
  });
  const activations = new EtcdActivationRegistry({ client, membership, logger, metrics });
  const events: MembershipEvent[] = [];
  const waiters = new Set<(event: MembershipEvent) => void>();
  membership.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter(event);
  });
  return {
    nodeId: options.nodeId,
    client,
    membership,
    activations,
    metrics,
    registry,
    events,
    waitFor: (match, timeoutMs) => {
      const seen = events.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${options.nodeId}: no matching membership event within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        const waiter = (event: MembershipEvent): void => {
          if (!match(event)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(event);
        };
        waiters.add(waiter);
      });
    },
    close: async () => {
      activations.close();
      await membership.stop();
      client.close();
    },
  };
}

export function memberInfo(nodeId: string): {
  nodeId: string;
  address: string;
  roles: ['trading'];
  version: string;
} {
  return {
    nodeId,
    address: `127.0.0.1:${String(7000 + nodeId.length)}`,
    roles: ['trading'],
    version: '0.1.0-test',
  };
}
