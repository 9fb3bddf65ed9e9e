import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

/** Routing and activation metrics of a cluster node, on the node's registry. */
export interface ClusterNodeMetrics {
  /** Identities hosted by this node now. */
  readonly localActors: Gauge;
  /** Local activations by `kind` and `result` (activated, failed). */
  readonly activations: Counter<'kind' | 'result'>;
  /** Time from first message to a spawned actor (includes waiting for the previous holder). */
  readonly activationSeconds: Histogram;
  /** Passivations by `kind` and `reason` (moved, stopped, fenced, shutdown, idle). */
  readonly passivations: Counter<'kind' | 'reason'>;
  /** Messages and requests routed, by `target` (local, remote) and `op` (send, request). */
  readonly routed: Counter<'target' | 'op'>;
  /** Messages handed back by a lost peer, by `outcome` (rerouted, failed). */
  readonly reroutes: Counter<'outcome'>;
}

export function clusterNodeMetrics(registry: MetricsRegistry): ClusterNodeMetrics {
  return {
    localActors: registry.gauge({
      name: 'ninja_cluster_local_actors',
      help: 'Identities activated on this node',
    }),
    activations: registry.counter({
      name: 'ninja_cluster_local_activations_total',
      help: 'Local activations by kind and result',
      labelNames: ['kind', 'result'],
    }),
    activationSeconds: registry.histogram({
      name: 'ninja_cluster_activation_duration_seconds',
      help: 'Seconds from the first message to a spawned actor',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    passivations: registry.counter({
      name: 'ninja_cluster_passivations_total',
      help: 'Local actors passivated, by kind and reason',
      labelNames: ['kind', 'reason'],
    }),
    routed: registry.counter({
      name: 'ninja_cluster_routed_total',
      help: 'Messages and requests routed by target and operation',
      labelNames: ['target', 'op'],
    }),
    reroutes: registry.counter({
      name: 'ninja_cluster_reroutes_total',
      help: 'Messages handed back by a lost peer, by outcome',
      labelNames: ['outcome'],
    }),
  };
}
