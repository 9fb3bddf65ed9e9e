import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../../observability/index.ts';

/** The connector's Prometheus metrics; the registry de-duplicates by name, so instances share them. */
export interface OandaMetrics {
  readonly requests: Counter<'method' | 'path' | 'status'>;
  readonly errors: Counter<'kind'>;
  readonly rateLimited: Counter<'source'>;
  readonly streamReconnects: Counter<'stream' | 'reason'>;
  readonly streamLines: Counter<'stream' | 'type'>;
  readonly malformedPayloads: Counter<'kind'>;
  readonly replayedTransactions: Counter;
  readonly unknownOutcomes: Counter<'resolution'>;
  readonly lastTransactionId: Gauge;
}

export function oandaMetrics(registry: MetricsRegistry): OandaMetrics {
  return {
    requests: registry.counter({
      name: 'oanda_requests_total',
      help: 'REST requests sent to OANDA, by method, route and HTTP status (0 = no response)',
      labelNames: ['method', 'path', 'status'],
    }),
    errors: registry.counter({
      name: 'oanda_errors_total',
      help: 'Errors raised by the OANDA connector, by error class',
      labelNames: ['kind'],
    }),
    rateLimited: registry.counter({
      name: 'oanda_rate_limited_total',
      help: 'Requests delayed by the client-side limiter (client) or answered 429 (venue)',
      labelNames: ['source'],
    }),
    streamReconnects: registry.counter({
      name: 'oanda_stream_reconnects_total',
      help: 'Streaming connections replaced, by stream (pricing, transactions) and reason',
      labelNames: ['stream', 'reason'],
    }),
    streamLines: registry.counter({
      name: 'oanda_stream_lines_total',
      help: 'Lines received on the streams, by stream and line type',
      labelNames: ['stream', 'type'],
    }),
    malformedPayloads: registry.counter({
      name: 'oanda_malformed_payloads_total',
      help: 'Venue payloads that were not valid JSON or not of the documented shape',
      labelNames: ['kind'],
    }),
    replayedTransactions: registry.counter({
      name: 'oanda_replayed_transactions_total',
      help: 'Transactions fetched with transactions/sinceid after a transaction stream reconnect',
    }),
    unknownOutcomes: registry.counter({
      name: 'oanda_unknown_outcomes_total',
      help: 'Order creations whose outcome was unknown, by how the query resolved them',
      labelNames: ['resolution'],
    }),
    lastTransactionId: registry.gauge({
      name: 'oanda_last_transaction_id',
      help: 'The last transaction id the connector has processed',
    }),
  };
}
