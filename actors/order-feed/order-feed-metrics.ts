import type { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

/** Metrics of the order feeds (the registry de-duplicates by name: one set per node). */
export interface OrderFeedMetrics {
  /** Fills a feed received, by outcome: relayed, repeat (dropped), malformed (dropped), handed-over. */
  readonly fills: Counter<'outcome'>;
  /** Fills a follower will never get from the feed (it fell more than the retained window behind). */
  readonly lost: Counter;
}

export function orderFeedMetrics(registry: MetricsRegistry): OrderFeedMetrics {
  return {
    fills: registry.counter({
      name: 'ninja_order_feed_fills_total',
      help: 'Fills received by the order feeds, by outcome (relayed, repeat, malformed, handed_over)',
      labelNames: ['outcome'],
    }),
    lost: registry.counter({
      name: 'ninja_order_feed_lost_total',
      help: 'Fills a gateway node never fetched from an order feed because it fell behind the retained window',
    }),
  };
}
