import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../observability/index.ts';

/** The cluster layer's metrics, registered (idempotently) on the node's registry. */
export interface ClusterMetrics {
  /** Joins, updates and leaves seen, by `type` (joined, updated, left, expired). */
  readonly membershipChanges: Counter<'type'>;
  /** Live members in this node's view, by `state`. */
  readonly members: Gauge<'state'>;
  /** Gap between consecutive acknowledged lease renewals, ms. Near TTL/3 when healthy. */
  readonly keepaliveGap: Histogram;
  /** Age of the last acknowledged lease renewal, ms, updated on each renewal attempt and on fence. */
  readonly keepaliveAge: Gauge;
  /** Self-fencing events (this node stopped hosting because it could not renew its lease in time). */
  readonly selfFencing: Counter;
  /** Re-registrations after a fence. */
  readonly recoveries: Counter;
  /** Activation keys this node holds. */
  readonly activationsHeld: Gauge;
  /** Activation attempts by `result` (acquired, already-held, held-elsewhere, error). */
  readonly activationAttempts: Counter<'result'>;
}

export function clusterMetrics(registry: MetricsRegistry): ClusterMetrics {
  return {
    membershipChanges: registry.counter({
      name: 'ninja_cluster_membership_changes_total',
      help: 'Membership changes seen by this node',
      labelNames: ['type'],
    }),
    members: registry.gauge({
      name: 'ninja_cluster_members',
      help: 'Live cluster members in this node view, by state',
      labelNames: ['state'],
    }),
    keepaliveGap: registry.histogram({
      name: 'ninja_cluster_lease_keepalive_gap_ms',
      help: 'Milliseconds between consecutive acknowledged lease keepalives',
      buckets: [50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000],
    }),
    keepaliveAge: registry.gauge({
      name: 'ninja_cluster_lease_keepalive_age_ms',
      help: 'Milliseconds since the last acknowledged lease keepalive was sent',
    }),
    selfFencing: registry.counter({
      name: 'ninja_cluster_self_fencing_total',
      help: 'Times this node fenced itself because its lease could not be renewed in time',
    }),
    recoveries: registry.counter({
      name: 'ninja_cluster_membership_recoveries_total',
      help: 'Re-registrations under a new lease after a fence',
    }),
    activationsHeld: registry.gauge({
      name: 'ninja_cluster_activations_held',
      help: 'Activation keys held by this node',
    }),
    activationAttempts: registry.counter({
      name: 'ninja_cluster_activation_attempts_total',
      help: 'Activation key acquisitions by result',
      labelNames: ['result'],
    }),
  };
}
