import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

/** Metrics of the book actors; one set per registry (the registry de-duplicates by name). */
export interface BookMetrics {
  readonly updatesApplied: Counter<'venue' | 'kind'>;
  readonly resyncs: Counter<'venue' | 'reason'>;
  readonly subscribers: Gauge<'book'>;
  readonly subscribersRemoved: Counter<'venue' | 'reason'>;
  readonly published: Counter<'venue' | 'kind'>;
  readonly badInput: Counter<'venue' | 'reason'>;
  readonly ignored: Counter<'venue' | 'reason'>;
}

export function bookMetrics(registry: MetricsRegistry): BookMetrics {
  return {
    updatesApplied: registry.counter({
      name: 'book_actor_updates_applied_total',
      help: 'Snapshots and deltas applied to books, by venue and kind',
      labelNames: ['venue', 'kind'],
    }),
    resyncs: registry.counter({
      name: 'book_actor_resyncs_total',
      help: 'Books marked stale and rebuilt from a new snapshot, by venue and reason',
      labelNames: ['venue', 'reason'],
    }),
    subscribers: registry.gauge({
      name: 'book_actor_subscribers',
      help: 'Subscribers per book identity',
      labelNames: ['book'],
    }),
    subscribersRemoved: registry.counter({
      name: 'book_actor_subscribers_removed_total',
      help: 'Subscribers removed, by venue and reason (unsubscribed, stopped, unreachable)',
      labelNames: ['venue', 'reason'],
    }),
    published: registry.counter({
      name: 'book_actor_published_total',
      help: 'Book updates sent to subscribers, by venue and kind',
      labelNames: ['venue', 'kind'],
    }),
    badInput: registry.counter({
      name: 'book_actor_bad_input_total',
      help: 'Market data messages a book could not use (malformed, wrong instrument, crossed), by venue and reason',
      labelNames: ['venue', 'reason'],
    }),
    ignored: registry.counter({
      name: 'book_actor_ignored_total',
      help: 'Well-formed market data a book did not apply (old sequence, not synced), by venue and reason',
      labelNames: ['venue', 'reason'],
    }),
  };
}
