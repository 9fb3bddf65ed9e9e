import type { Counter } from 'prom-client';
import { MetricsRegistry } from './internal.ts';

/** What a client counts: calls by status, retries, token refreshes and stream reconnections. */
export interface SdkMetrics {
  readonly calls: Counter<'method' | 'code'>;
  readonly retries: Counter<'method' | 'code'>;
  readonly tokenRefreshes: Counter<'reason' | 'outcome'>;
  readonly streamsOpened: Counter<'method'>;
  readonly streamReconnects: Counter<'method'>;
}

/** Registers the SDK's metrics on `registry` (a private one when the application passes none). */
export function sdkMetrics(registry: MetricsRegistry = new MetricsRegistry()): SdkMetrics {
  return {
    calls: registry.counter({
      name: 'ninja_sdk_calls_total',
      help: 'Client calls to the gateway by method and final gRPC status (after retries)',
      labelNames: ['method', 'code'],
    }),
    retries: registry.counter({
      name: 'ninja_sdk_retries_total',
      help: 'Client calls sent again after a retryable failure, by method and the status that caused it',
      labelNames: ['method', 'code'],
    }),
    tokenRefreshes: registry.counter({
      name: 'ninja_sdk_token_refreshes_total',
      help: 'Access-token refreshes by reason (expiring, rejected) and outcome (ok or the failure status)',
      labelNames: ['reason', 'outcome'],
    }),
    streamsOpened: registry.counter({
      name: 'ninja_sdk_streams_opened_total',
      help: 'Server streams opened, reconnections included',
      labelNames: ['method'],
    }),
    streamReconnects: registry.counter({
      name: 'ninja_sdk_stream_reconnects_total',
      help: 'Server streams reopened after a retryable failure',
      labelNames: ['method'],
    }),
  };
}
