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

/** One label set's count not yet handed to the counter. */
interface Cell {
  readonly labels: Record<string, string>;
  pending: number;
}

/** prom-client runs a metric's `collect` before every read of its values (scrape, `get()`). */
interface Collectable {
  collect?: (this: unknown) => void | Promise<void>;
}

/**
 * A two-label counter's counts on the hot path, kept here as plain numbers by label value and
 * handed to the prom-client counter when it is read (its `collect`), so a read is always exact.
 * prom-client's `inc`, even on a labelled child, hashes the label object into a string and returns
 * an object on every call; with a key string made per call as well, 75-175 bytes per count. Here a
 * count is two or three map lookups by the label values and allocates nothing. One per counter
 * (`of`), however many order managers share it.
 */
export class LabelledCounts {
  static readonly #byCounter = new WeakMap<Counter<string>, LabelledCounts>();
  readonly #cells = new Map<string, Map<string, Cell>>();
  /** By prefix, then first label value: the cells of the first label `${prefix}:${first}`. */
  readonly #prefixed = new Map<string, Map<string, Map<string, Cell>>>();

  private constructor(
    private readonly counter: Counter<string>,
    private readonly first: string,
    private readonly second: string,
  ) {}

  /** The counts of `counter` (created on first use, and hooked into its collect). */
  static of(counter: Counter<string>, first: string, second: string): LabelledCounts {
    const existing = LabelledCounts.#byCounter.get(counter);
    if (existing !== undefined) return existing;
    const counts = new LabelledCounts(counter, first, second);
    LabelledCounts.#byCounter.set(counter, counts);
    // Counter's typings leave out the `collect` it takes from its configuration.
    const collectable = counter as unknown as Collectable;
    const previous = collectable.collect;
    collectable.collect = function (this: unknown) {
      counts.flush();
      return previous?.call(this);
    };
    return counts;
  }

  inc(first: string, second: string): void {
    let byFirst = this.#cells.get(first);
    if (byFirst === undefined) {
      byFirst = new Map();
      this.#cells.set(first, byFirst);
    }
    const cell = byFirst.get(second);
    if (cell === undefined) byFirst.set(second, this.#cell(first, second));
    else cell.pending += 1;
  }

  /** As `inc(`${prefix}:${first}`, second)`, without making that string per call. */
  incPrefixed(prefix: string, first: string, second: string): void {
    let byPrefix = this.#prefixed.get(prefix);
    if (byPrefix === undefined) {
      byPrefix = new Map();
      this.#prefixed.set(prefix, byPrefix);
    }
    let byFirst = byPrefix.get(first);
    if (byFirst === undefined) {
      byFirst = new Map();
      byPrefix.set(first, byFirst);
    }
    const cell = byFirst.get(second);
    if (cell === undefined) byFirst.set(second, this.#cell(`${prefix}:${first}`, second));
    else cell.pending += 1;
  }

  /** A new label set, counted once. */
  #cell(first: string, second: string): Cell {
    return { labels: { [this.first]: first, [this.second]: second }, pending: 1 };
  }

  /** Hands the counts made since the last read to the counter. */
  flush(): void {
    const hand = (byFirst: Map<string, Cell>): void => {
      for (const cell of byFirst.values()) {
        if (cell.pending === 0) continue;
        this.counter.inc(cell.labels, cell.pending);
        cell.pending = 0;
      }
    };
    for (const byFirst of this.#cells.values()) hand(byFirst);
    for (const byPrefix of this.#prefixed.values()) for (const byFirst of byPrefix.values()) hand(byFirst);
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
    command: LabelledCounts.of(commands, 'command', 'outcome'),
    venueEvents,
    venueEvent: LabelledCounts.of(venueEvents, 'kind', 'outcome'),
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
