import type { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

export interface StrategyMetrics {
  /** Orders placed, replaced or cancelled, by strategy, action and outcome. */
  readonly actions: Counter<'strategy' | 'action' | 'outcome'>;
  /** Fills of the strategy's own quotes it counted into its inventory. */
  readonly fills: Counter<'strategy'>;
  /** Ticks skipped because a source was briefly unavailable, by status code. */
  readonly waits: Counter<'strategy' | 'code'>;
}

export function strategyMetrics(registry: MetricsRegistry): StrategyMetrics {
  return {
    actions: registry.counter({
      name: 'ninja_strategy_actions_total',
      help: 'Demo strategy order actions (place, replace, cancel) by strategy, action and outcome',
      labelNames: ['strategy', 'action', 'outcome'],
    }),
    fills: registry.counter({
      name: 'ninja_strategy_fills_total',
      help: 'Fills of a strategy’s own quotes counted into its inventory',
      labelNames: ['strategy'],
    }),
    waits: registry.counter({
      name: 'ninja_strategy_waits_total',
      help: 'Strategy ticks skipped because the book, venue or order manager was briefly unavailable',
      labelNames: ['strategy', 'code'],
    }),
  };
}
