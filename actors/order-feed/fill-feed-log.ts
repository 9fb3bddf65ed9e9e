import type { PortfolioFillWire } from '../portfolio/index.ts';

/** What a gateway node gets from one fetch: the fills after its cursor, and its next cursor. */
export interface FeedBatch {
  /** This activation of the feed; a follower that sends another one gets `reset`. */
  readonly feedId: string;
  /** The sequence number of the last fill in `fills` (or the cursor, when there are none). */
  readonly next: number;
  readonly fills: readonly PortfolioFillWire[];
  /**
   * The follower's cursor was not of this activation (the feed moved or restarted), or fell behind
   * what the feed retains: `fills` are everything the feed retains, which the follower may have had
   * in part (gateway nodes dedupe by trade id).
   */
  readonly reset: boolean;
}

export interface FillFeedLogOptions {
  /** Most fills kept for followers that have not fetched them (a follower further behind is reset). */
  readonly retain: number;
  /** Most fills in one batch. */
  readonly batch: number;
  /** A follower not heard from for this long is forgotten (its fills are no longer kept for it). */
  readonly followerTtlMs: number;
  /** How many recent fill keys are remembered to drop a fill published again. */
  readonly recentKeys: number;
}

export const DEFAULT_FILL_FEED_LOG: FillFeedLogOptions = {
  retain: 1_024,
  batch: 256,
  followerTtlMs: 30_000,
  recentKeys: 4_096,
};

interface Entry {
  readonly seq: number;
  readonly fill: PortfolioFillWire;
}

interface Cursor {
  /** The last sequence number the follower said it has. */
  after: number;
  seenAt: number;
}

/** The dedupe key of a fill in wire form (the same as domain `fillKey`: instrument and trade id). */
export function fillWireKey(fill: PortfolioFillWire): string {
  return `${fill.instrumentId}|${fill.tradeId}`;
}

/**
 * The fills of one account's feed, numbered 1, 2, 3... in the order they arrived, kept only until
 * every live follower (a gateway node streaming the account) has fetched them, and never more than
 * `retain`. With no follower nothing is kept. A fill published again (a recovering order manager
 * re-publishes its recent fills) is dropped when its key is among the recent ones.
 */
export class FillFeedLog {
  private readonly entries: Entry[] = [];
  private head = 0;
  private readonly recent = new Set<string>();
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    readonly feedId: string,
    private readonly options: FillFeedLogOptions = DEFAULT_FILL_FEED_LOG,
  ) {}

  /** The sequence number of the last fill appended (0 before the first). */
  get last(): number {
    return this.head;
  }

  /** How many fills are kept now. */
  get size(): number {
    return this.entries.length;
  }

  /** Appends `fill` unless it is a repeat; answers whether it was new. */
  append(fill: PortfolioFillWire, now: number, isLive: (nodeId: string) => boolean): boolean {
    const key = fillWireKey(fill);
    if (this.recent.has(key)) return false;
    this.recent.add(key);
    if (this.recent.size > this.options.recentKeys) {
      const oldest = this.recent.values().next();
      if (oldest.done !== true) this.recent.delete(oldest.value);
    }
    this.head += 1;
    this.entries.push({ seq: this.head, fill });
    this.trim(now, isLive);
    return true;
  }

  /** Whether a follower at `after` of this feed has fills to fetch. */
  hasAfter(after: number): boolean {
    return after < this.head;
  }

  /**
   * The batch for `nodeId`'s follower, which holds everything up to `after` of activation `feedId`
   * (both undefined on its first fetch: it starts from now). Records its cursor. `lost` counts the
   * fills it will never get (it fell more than `retain` behind).
   */
  read(
    nodeId: string,
    feedId: string | undefined,
    after: number | undefined,
    now: number,
  ): { readonly batch: FeedBatch; readonly lost: number } {
    const first = this.entries[0]?.seq ?? this.head + 1;
    let from: number;
    let reset = false;
    let lost = 0;
    if (feedId === undefined || after === undefined) from = this.head;
    else if (feedId !== this.feedId || after > this.head) {
      reset = true;
      from = first - 1;
    } else if (after < first - 1) {
      reset = true;
      lost = first - 1 - after;
      from = first - 1;
    } else from = after;
    this.cursors.set(nodeId, { after: from, seenAt: now });
    const start = from - (first - 1);
    const fills = this.entries.slice(start, start + this.options.batch).map((entry) => entry.fill);
    return { batch: { feedId: this.feedId, next: from + fills.length, fills, reset }, lost };
  }

  /** The fills some live follower has not fetched yet (what a moving feed hands to its next activation). */
  unfetched(now: number, isLive: (nodeId: string) => boolean): PortfolioFillWire[] {
    this.trim(now, isLive);
    return this.entries.map((entry) => entry.fill);
  }

  /** Forgets followers that left or went silent, then drops the fills every remaining one has. */
  trim(now: number, isLive: (nodeId: string) => boolean): void {
    let keepAfter = this.head;
    for (const [nodeId, cursor] of this.cursors) {
      if (!isLive(nodeId) || now - cursor.seenAt > this.options.followerTtlMs) {
        this.cursors.delete(nodeId);
        continue;
      }
      keepAfter = Math.min(keepAfter, cursor.after);
    }
    keepAfter = Math.max(keepAfter, this.head - this.options.retain);
    let drop = 0;
    while (drop < this.entries.length && (this.entries[drop]?.seq ?? Infinity) <= keepAfter) drop += 1;
    if (drop > 0) this.entries.splice(0, drop);
  }
}
