import type { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

export interface GatewayMetrics {
  /** Calls by method, transport and status code name. */
  readonly calls: Counter<'method' | 'transport' | 'code'>;
  readonly latency: Histogram<'method' | 'transport'>;
  /** Security events: auth failures, refresh reuse, rate limiting. */
  readonly securityEvents: Counter<'event'>;
  readonly auditFailures: Counter;
  readonly wsConnections: Counter<'outcome'>;
  /** Venues that did not answer ListInstruments. */
  readonly venueListFailures: Counter<'venue'>;
}

export function gatewayMetrics(metrics: MetricsRegistry): GatewayMetrics {
  return {
    calls: metrics.counter({
      name: 'ninja_gateway_calls_total',
      help: 'Client calls by method, transport (grpc, ws) and status code',
      labelNames: ['method', 'transport', 'code'],
    }),
    latency: metrics.histogram({
      name: 'ninja_gateway_call_seconds',
      help: 'Client call latency by method and transport (streams: until the first message)',
      labelNames: ['method', 'transport'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    securityEvents: metrics.counter({
      name: 'ninja_gateway_security_events_total',
      help: 'Authentication failures, refresh-token reuse, rate limiting, permission denials',
      labelNames: ['event'],
    }),
    auditFailures: metrics.counter({
      name: 'ninja_gateway_audit_failures_total',
      help: 'Audit records that could not be written',
    }),
    wsConnections: metrics.counter({
      name: 'ninja_gateway_ws_connections_total',
      help: 'WebSocket upgrade attempts by outcome',
      labelNames: ['outcome'],
    }),
    venueListFailures: metrics.counter({
      name: 'ninja_gateway_venue_list_failures_total',
      help: 'Venues that failed or did not answer in time when ListInstruments asked them, by venue',
      labelNames: ['venue'],
    }),
  };
}
