import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

/** Metrics of the venue actors; one set per registry (the registry de-duplicates by name). */
export interface VenueMetrics {
  readonly requests: Counter<'venue' | 'op'>;
  readonly failures: Counter<'venue' | 'op' | 'code'>;
  /** 0 closed, 1 open, 2 half-open, 3 isolated (cockatiel's CircuitState). */
  readonly circuitState: Gauge<'venue'>;
  readonly circuitTransitions: Counter<'venue' | 'state'>;
  readonly connectAttempts: Counter<'venue' | 'outcome'>;
  readonly connected: Gauge<'venue'>;
  readonly marketDataForwarded: Counter<'venue' | 'kind'>;
  readonly marketDataSubscribers: Gauge<'venue'>;
  readonly executionEventsForwarded: Counter<'venue' | 'kind'>;
  readonly undeliverable: Counter<'venue' | 'stream'>;
}

export function venueMetrics(registry: MetricsRegistry): VenueMetrics {
  return {
    requests: registry.counter({
      name: 'venue_actor_requests_total',
      help: 'Requests a venue actor forwarded to its connector, by venue and operation',
      labelNames: ['venue', 'op'],
    }),
    failures: registry.counter({
      name: 'venue_actor_request_failures_total',
      help: 'Venue actor requests that failed, by venue, operation and status code',
      labelNames: ['venue', 'op', 'code'],
    }),
    circuitState: registry.gauge({
      name: 'venue_actor_circuit_state',
      help: 'Circuit breaker state per venue: 0 closed, 1 open, 2 half-open, 3 isolated',
      labelNames: ['venue'],
    }),
    circuitTransitions: registry.counter({
      name: 'venue_actor_circuit_transitions_total',
      help: 'Circuit breaker state changes per venue, by the state entered',
      labelNames: ['venue', 'state'],
    }),
    connectAttempts: registry.counter({
      name: 'venue_actor_connect_attempts_total',
      help: 'Connector start attempts per venue, by outcome (connected, failed)',
      labelNames: ['venue', 'outcome'],
    }),
    connected: registry.gauge({
      name: 'venue_actor_connected',
      help: '1 while the venue actor has a started connector, else 0',
      labelNames: ['venue'],
    }),
    marketDataForwarded: registry.counter({
      name: 'venue_actor_market_data_forwarded_total',
      help: 'Market data events forwarded to subscribers, by venue and event kind',
      labelNames: ['venue', 'kind'],
    }),
    marketDataSubscribers: registry.gauge({
      name: 'venue_actor_market_data_subscribers',
      help: 'Market data subscriptions (instrument × subscriber) per venue',
      labelNames: ['venue'],
    }),
    executionEventsForwarded: registry.counter({
      name: 'venue_actor_execution_events_forwarded_total',
      help: 'Execution events forwarded to subscribers, by venue and event kind',
      labelNames: ['venue', 'kind'],
    }),
    undeliverable: registry.counter({
      name: 'venue_actor_undeliverable_total',
      help: 'Events that could not be sent to a subscriber (it was dropped), by venue and stream',
      labelNames: ['venue', 'stream'],
    }),
  };
}
