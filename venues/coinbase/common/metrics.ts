import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../../observability/index.ts';

/** The connector's Prometheus metrics; one instance per registry (the registry de-duplicates by name). */
export interface CoinbaseMetrics {
  readonly requests: Counter<'method' | 'path' | 'status'>;
  readonly errors: Counter<'kind'>;
  readonly rateLimitRemaining: Gauge;
  readonly rateLimitPauses: Counter<'status'>;
  readonly reconnects: Counter<'connection'>;
  readonly malformedPayloads: Counter<'kind'>;
  readonly sequenceGaps: Counter<'connection'>;
  readonly resubscribes: Counter<'channel' | 'reason'>;
  readonly orders: Counter<'outcome'>;
}

export function coinbaseMetrics(registry: MetricsRegistry): CoinbaseMetrics {
  return {
    requests: registry.counter({
      name: 'coinbase_requests_total',
      help: 'REST requests sent to Coinbase Advanced Trade, by method, path template and HTTP status (0 = no response)',
      labelNames: ['method', 'path', 'status'],
    }),
    errors: registry.counter({
      name: 'coinbase_errors_total',
      help: 'Errors raised by the Coinbase connector, by error class',
      labelNames: ['kind'],
    }),
    rateLimitRemaining: registry.gauge({
      name: 'coinbase_rate_limit_remaining',
      help: 'Requests left in the window as last reported by x-ratelimit-remaining',
    }),
    rateLimitPauses: registry.counter({
      name: 'coinbase_rate_limit_pauses_total',
      help: 'Pauses imposed by 429 answers',
      labelNames: ['status'],
    }),
    reconnects: registry.counter({
      name: 'coinbase_ws_reconnects_total',
      help: 'WebSocket reconnects, by connection (market or user)',
      labelNames: ['connection'],
    }),
    malformedPayloads: registry.counter({
      name: 'coinbase_malformed_payloads_total',
      help: 'Venue payloads that were not valid JSON or not of the documented shape',
      labelNames: ['kind'],
    }),
    sequenceGaps: registry.counter({
      name: 'coinbase_sequence_gaps_total',
      help: 'Jumps in the connection-wide sequence_num, by connection',
      labelNames: ['connection'],
    }),
    resubscribes: registry.counter({
      name: 'coinbase_resubscribes_total',
      help: 'Channel resubscriptions for a fresh snapshot, by channel and reason',
      labelNames: ['channel', 'reason'],
    }),
    orders: registry.counter({
      name: 'coinbase_order_placements_total',
      help: 'Order placements by outcome (accepted, rejected, found_after_unknown, resent_after_unknown, unresolved)',
      labelNames: ['outcome'],
    }),
  };
}
