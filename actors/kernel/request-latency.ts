import { TalliedHistogram } from '../../observability/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';

const BOUNDS = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] as const;

/**
 * `ninja_actor_request_duration_seconds{kind}`: counted outside prom-client (its labelled
 * `observe` costs about a microsecond, a seventh of a whole local request round trip).
 */
export function requestLatency(metrics: MetricsRegistry): TalliedHistogram {
  return TalliedHistogram.on(metrics, {
    name: 'ninja_actor_request_duration_seconds',
    help: 'Round trip of actor requests (send to reply, failure or deadline), by target kind',
    label: 'kind',
    bounds: BOUNDS,
  });
}
