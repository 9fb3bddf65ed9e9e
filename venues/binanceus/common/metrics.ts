import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../../observability/index.ts';

/** The connector's Prometheus metrics; one instance per registry (the registry de-duplicates by name). */
export interface BinanceUsMetrics {
  readonly requests: Counter<'method' | 'path' | 'status'>;
  readonly errors: Counter<'kind'>;
  readonly usedWeight: Gauge<'interval'>;
  readonly orderCount: Gauge<'interval'>;
  readonly rateLimitPauses: Counter<'status'>;
  readonly reconnects: Counter<'connection'>;
  readonly malformedPayloads: Counter<'kind'>;
  readonly bookResyncs: Counter<'symbol' | 'reason'>;
}

export function binanceUsMetrics(registry: MetricsRegistry): BinanceUsMetrics {
  return {
    requests: registry.counter({
      name: 'binanceus_requests_total',
      help: 'REST requests sent to Binance.US, by method, path and HTTP status (0 = no response)',
      labelNames: ['method', 'path', 'status'],
    }),
    errors: registry.counter({
      name: 'binanceus_errors_total',
      help: 'Errors raised by the Binance.US connector, by error class',
      labelNames: ['kind'],
    }),
    usedWeight: registry.gauge({
      name: 'binanceus_used_weight',
      help: 'Request weight used as last reported by X-MBX-USED-WEIGHT-<interval>',
      labelNames: ['interval'],
    }),
    orderCount: registry.gauge({
      name: 'binanceus_order_count',
      help: 'Orders counted as last reported by X-MBX-ORDER-COUNT-<interval>',
      labelNames: ['interval'],
    }),
    rateLimitPauses: registry.counter({
      name: 'binanceus_rate_limit_pauses_total',
      help: 'Pauses imposed by 429/418 answers with Retry-After',
      labelNames: ['status'],
    }),
    reconnects: registry.counter({
      name: 'binanceus_ws_reconnects_total',
      help: 'WebSocket reconnects, by connection (market or user)',
      labelNames: ['connection'],
    }),
    malformedPayloads: registry.counter({
      name: 'binanceus_malformed_payloads_total',
      help: 'Venue payloads that were not valid JSON or not of the documented shape',
      labelNames: ['kind'],
    }),
    bookResyncs: registry.counter({
      name: 'binanceus_book_resyncs_total',
      help: 'Local order book resynchronisations from a snapshot',
      labelNames: ['symbol', 'reason'],
    }),
  };
}
