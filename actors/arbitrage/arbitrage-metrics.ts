import type { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

export interface ArbitrageMetrics {
  /** Opportunities that beat both taker fees by the minimum edge, by buy>sell venue pair. */
  readonly detections: Counter<'pair'>;
  /** Two-leg executions sent, by pair. */
  readonly executions: Counter<'pair'>;
  /** Legs by venue and outcome (sent, rejected, or the refusal's status code). */
  readonly legs: Counter<'venue' | 'outcome'>;
  /** Detections not acted on, by reason. */
  readonly skipped: Counter<'reason'>;
}

export function arbitrageMetrics(registry: MetricsRegistry): ArbitrageMetrics {
  return {
    detections: registry.counter({
      name: 'ninja_arbitrage_detections_total',
      help: 'Cross-venue opportunities whose spread beat both taker fees by the minimum edge',
      labelNames: ['pair'],
    }),
    executions: registry.counter({
      name: 'ninja_arbitrage_executions_total',
      help: 'Two-leg arbitrage executions sent through the order managers',
      labelNames: ['pair'],
    }),
    legs: registry.counter({
      name: 'ninja_arbitrage_legs_total',
      help: 'Arbitrage legs by venue and outcome',
      labelNames: ['venue', 'outcome'],
    }),
    skipped: registry.counter({
      name: 'ninja_arbitrage_skipped_total',
      help: 'Detected opportunities not acted on, by reason (e.g. rate-limit)',
      labelNames: ['reason'],
    }),
  };
}
