import type { Etcd3 } from 'etcd3';
import { incrementingEpochs, suppliedEpochs } from '../../actors/kernel/index.ts';
import type { EpochSource } from '../../actors/kernel/index.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { EtcdActivationRegistry } from '../activation/etcd-activation-registry.ts';
import { createEtcdClient } from '../etcd/etcd-client.ts';
import { EtcdMembershipProvider } from '../membership/etcd/etcd-membership-provider.ts';
import type { MembershipProvider } from '../membership/membership-provider.ts';
import { StaticMembershipProvider } from '../membership/static/static-membership-provider.ts';
import type { ClusterMetrics } from '../metrics.ts';
import { etcdActivationStore, staticActivationStore } from './activation-store.ts';
import type { ActivationStore } from './activation-store.ts';
import type { ClusterNodeOptions } from './cluster-node-options.ts';
import { DrainRequests } from './drain-requests.ts';

/** What a node's membership choice brings: who is in the cluster, where activations and epochs come from. */
export interface MembershipBackend {
  readonly membership: MembershipProvider;
  readonly store: ActivationStore;
  readonly epochs: EpochSource;
  readonly registry: EtcdActivationRegistry | undefined;
  readonly drains: DrainRequests | undefined;
  /** Closed by the node when it stops (it made it). */
  readonly ownedClient: Etcd3 | undefined;
  /** The etcd client in use (owned or given), for status reads and drain requests. */
  readonly etcd: { readonly client: Etcd3; readonly clusterName: string } | undefined;
}

/**
 * Static: one node, no lease, epochs numbered by the database. Etcd: member lease, activation keys
 * whose create revision is the epoch handed to the journal (`supplyEpoch`), drain requests.
 */
export function membershipBackend(
  options: ClusterNodeOptions,
  deps: {
    readonly logger: Logger;
    readonly metrics: ClusterMetrics;
    readonly supplyEpoch: (identity: string) => Promise<bigint>;
    readonly onDrain: () => void;
  },
): MembershipBackend {
  const settings = options.membership;
  if (settings.type === 'static') {
    return {
      membership: new StaticMembershipProvider({ logger: options.logger, metrics: deps.metrics }),
      store: staticActivationStore(),
      epochs: incrementingEpochs(options.nodeId),
      registry: undefined,
      drains: undefined,
      ownedClient: undefined,
      etcd: undefined,
    };
  }
  if (options.transport === undefined) {
    throw new InvalidArgumentError('transport', 'is required with etcd membership');
  }
  const client = settings.client ?? createEtcdClient({ endpoints: settings.endpoints });
  const membership = new EtcdMembershipProvider({
    client,
    clusterName: settings.clusterName,
    ...(settings.ttlSeconds === undefined ? {} : { ttlSeconds: settings.ttlSeconds }),
    logger: options.logger,
    metrics: deps.metrics,
  });
  const registry = new EtcdActivationRegistry({
    client,
    membership,
    logger: options.logger,
    metrics: deps.metrics,
  });
  return {
    membership,
    store: etcdActivationStore(registry, deps.logger),
    epochs: suppliedEpochs(options.nodeId, deps.supplyEpoch),
    registry,
    drains: new DrainRequests(client, settings.clusterName, deps.logger, deps.onDrain, options.nodeId),
    ownedClient: settings.client === undefined ? client : undefined,
    etcd: { client, clusterName: settings.clusterName },
  };
}
