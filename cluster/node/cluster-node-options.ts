import type { Etcd3 } from 'etcd3';
import type pg from 'pg';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { NodeRole, KindRegistry } from '../kinds.ts';
import type { RemoteTransportOptions } from '../remote/index.ts';
import type { ClusterTls } from '../tls/index.ts';

/** Membership backend of a cluster node. */
export type ClusterMembershipOptions =
  /** A one-node cluster without etcd: no transport, epochs numbered by the database. */
  | { readonly type: 'static' }
  | {
      readonly type: 'etcd';
      readonly endpoints: readonly string[];
      readonly clusterName: string;
      /** Member lease TTL, whole seconds (default 2). */
      readonly ttlSeconds?: number;
      /** An etcd client to use instead of one made from `endpoints` (the caller closes it). */
      readonly client?: Etcd3;
    };

export interface ClusterTransportSettings {
  /** `host:port` of the cluster listener, e.g. `127.0.0.1:0`. */
  readonly listen: string;
  readonly tls: ClusterTls;
  readonly options?: Partial<Omit<RemoteTransportOptions, 'logger' | 'metrics' | 'onUndeliverable'>>;
}

export interface ClusterNodeOptions {
  readonly nodeId: string;
  /** What this node hosts: placement gives it only kinds accepting one of these roles. */
  readonly roles: readonly NodeRole[];
  /** Software version, published in the member record. */
  readonly version: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly membership: ClusterMembershipOptions;
  /** Required with etcd membership. */
  readonly transport?: ClusterTransportSettings;
  /** Required to host persistent kinds. */
  readonly pool?: pg.Pool;
  /** Default: the kinds of DESIGN.md (`defaultKindRegistry()`). */
  readonly kinds?: KindRegistry;
  /** How long `send` may wait for an activation, and `request`'s timeout when none is given. Default 10 s. */
  readonly defaultTimeoutMs?: number;
  /** How long a message handed back by a lost peer may wait for its identity's new owner. Default 10 s. */
  readonly rerouteWindowMs?: number;
  /**
   * How long a planned stop of a local actor (idle, moved by placement, drain, shutdown) waits for
   * its passivate hook (a persistent actor's snapshot) before stopping it anyway. Default 5 s.
   */
  readonly passivateTimeoutMs?: number;
  /** Client-certificate common names that may drain nodes over ClusterService. Default `['admin']`. */
  readonly adminNames?: readonly string[];
}
