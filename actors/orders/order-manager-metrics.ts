import type { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../observability/index.ts';

/** What order managers count, shared by every `orders/<accountId>` of a node. */
export interface OrderManagerMetrics {
  /** Commands by type and outcome (ok, invalid, risk-rejected, not-found, error). */
  readonly commands: Counter<'command' | 'outcome'>;
  readonly riskRejections: Counter<'reason'>;
  /** Venue stream and call results by kind and outcome (applied, duplicate, illegal, overfill, unknown-order). */
  readonly venueEvents: Counter<'kind' | 'outcome'>;
  readonly repairs: Counter<'repair'>;
  readonly reconciliations: Counter<'trigger' | 'outcome'>;
  readonly ackTimeouts: Counter;
  readonly venueCallFailures: Counter<'call'>;
  /** Fills re-published on activation (`published`) and reads of them that failed, by where they were read. */
  readonly fillReplays: Counter<'source' | 'outcome'>;
  /** `commands` and `venueEvents` for the hot path: the labelled child, looked up once. */
  readonly command: LabelledCounts;
  readonly venueEvent: LabelledCounts;
}

/**
 * Children of a two-label counter, cached: prom-client's `inc(labels)` hashes the label object on
 * every call, a cached child costs one map lookup. No registry of ours is ever reset, so a child
 * stays the counter's.
 */
export class LabelledCounts {
  readonly #children = new Map<string, Counter.Internal>();

  constructor(
    private readonly counter: Counter<string>,
    private readonly first: string,
    private readonly second: string,
  ) {}

  inc(first: string, second: string): void {
    const key = `${first}\u0000${second}`;
    let child = this.#children.get(key);
    if (child === undefined) {
      child = this.counter.labels({ [this.first]: first, [this.second]: second });
      this.#children.set(key, child);
    }
    child.inc();
  }
}

export function orderManagerMetrics(registry: MetricsRegistry): OrderManagerMetrics {
  const commands = registry.counter({
    name: 'ninja_orders_commands_total',
    help: 'Order manager commands by type and outcome',
    labelNames: ['command', 'outcome'],
  });
  const venueEvents = registry.counter({
    name: 'ninja_orders_venue_events_total',
    help: 'Venue order events and fills by kind and what became of them',
    labelNames: ['kind', 'outcome'],
  });
  return {
    commands,
    command: new LabelledCounts(commands, 'command', 'outcome'),
    venueEvents,
    venueEvent: new LabelledCounts(venueEvents, 'kind', 'outcome'),
    riskRejections: registry.counter({
      name: 'ninja_orders_risk_rejections_total',
      help: 'Orders refused by a pre-trade check, by reason code',
      labelNames: ['reason'],
    }),
    repairs: registry.counter({
      name: 'ninja_orders_repairs_total',
      help: 'Reconciliation repairs by kind',
      labelNames: ['repair'],
    }),
    reconciliations: registry.counter({
      name: 'ninja_orders_reconciliations_total',
      help: 'Reconciliation passes by trigger and outcome',
      labelNames: ['trigger', 'outcome'],
    }),
    ackTimeouts: registry.counter({
      name: 'ninja_orders_ack_timeouts_total',
      help: 'Placements the venue had not answered within the acknowledgement timeout',
    }),
    venueCallFailures: registry.counter({
      name: 'ninja_orders_venue_call_failures_total',
      help: 'Venue calls of order managers that failed, by call',
      labelNames: ['call'],
    }),
    fillReplays: registry.counter({
      name: 'ninja_orders_fill_replays_total',
      help: 'Journaled fills re-published to the portfolio on activation, and failed reads of them, by source (journal, venue)',
      labelNames: ['source', 'outcome'],
    }),
  };
}
