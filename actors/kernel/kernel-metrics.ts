import type { MetricsRegistry, TalliedHistogram } from '../../observability/index.ts';
import { requestLatency } from './request-latency.ts';

/**
 * Per-kind counts kept as plain numbers on the hot path and handed to prom-client when the
 * registry is scraped (each metric's `collect`): a labelled prom-client `inc` per message would
 * cost more than nact's own dispatch.
 */
export class KindStats {
  processed = 0;
  restarts = 0;
  escalations = 0;
  deadLetters = 0;
  overloads = 0;
  readonly failures = new Map<string, number>();
}

/** Live figures of one actor system, read at scrape time. */
export interface LiveActorSource {
  /** Per kind: live actors, total queued messages and the deepest mailbox. */
  liveByKind(): ReadonlyMap<
    string,
    { readonly actors: number; readonly depth: number; readonly maxDepth: number }
  >;
}

type CounterField = 'processed' | 'restarts' | 'escalations' | 'deadLetters' | 'overloads';

/** The kernel's metrics on one registry, shared by every actor system that uses that registry. */
export class KernelMetrics {
  private readonly stats = new Map<string, KindStats>();
  private readonly sources = new Set<LiveActorSource>();
  readonly requestSeconds: TalliedHistogram;

  constructor(registry: MetricsRegistry) {
    const counter = (name: string, help: string, field: CounterField): void => {
      const stats = this.stats;
      registry.counter({
        name,
        help,
        labelNames: ['kind'],
        collect() {
          this.reset();
          for (const [kind, kindStats] of stats) this.inc({ kind }, kindStats[field]);
        },
      });
    };
    counter('ninja_actor_messages_processed_total', 'Messages handled by actors, by kind', 'processed');
    counter('ninja_actor_restarts_total', 'Actor restarts by supervision, by kind', 'restarts');
    counter(
      'ninja_actor_escalations_total',
      'Failures escalated to a parent or the root supervisor, by kind',
      'escalations',
    );
    counter(
      'ninja_actor_dead_letters_total',
      'Messages that reached no actor (stopped, unknown, late reply), by kind',
      'deadLetters',
    );
    counter(
      'ninja_actor_overload_rejections_total',
      'Sends and requests refused because the mailbox was full, by kind',
      'overloads',
    );
    const stats = this.stats;
    registry.counter({
      name: 'ninja_actor_failures_total',
      help: 'Actor failures by kind and the directive applied',
      labelNames: ['kind', 'directive'],
      collect() {
        this.reset();
        for (const [kind, kindStats] of stats) {
          for (const [directive, count] of kindStats.failures) this.inc({ kind, directive }, count);
        }
      },
    });
    const sources = this.sources;
    const live = (name: string, help: string, field: 'actors' | 'depth' | 'maxDepth'): void => {
      registry.gauge({
        name,
        help,
        labelNames: ['kind'],
        collect() {
          this.reset();
          const totals = new Map<string, number>();
          for (const source of sources) {
            for (const [kind, figures] of source.liveByKind()) {
              const previous = totals.get(kind) ?? 0;
              totals.set(
                kind,
                field === 'maxDepth' ? Math.max(previous, figures[field]) : previous + figures[field],
              );
            }
          }
          for (const [kind, value] of totals) this.set({ kind }, value);
        },
      });
    };
    live('ninja_actors', 'Live actors by kind', 'actors');
    live(
      'ninja_actor_mailbox_depth',
      'Messages queued or in progress in actor mailboxes, summed by kind',
      'depth',
    );
    live('ninja_actor_mailbox_depth_max', 'The deepest actor mailbox of each kind', 'maxDepth');
    this.requestSeconds = requestLatency(registry);
  }

  kind(kind: string): KindStats {
    let stats = this.stats.get(kind);
    if (stats === undefined) {
      stats = new KindStats();
      this.stats.set(kind, stats);
    }
    return stats;
  }

  attach(source: LiveActorSource): () => void {
    this.sources.add(source);
    return () => {
      this.sources.delete(source);
    };
  }
}

const byRegistry = new WeakMap<MetricsRegistry, KernelMetrics>();

/** The kernel metrics of a registry, registered on first use. */
export function kernelMetricsFor(registry: MetricsRegistry): KernelMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics === undefined) {
    metrics = new KernelMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
