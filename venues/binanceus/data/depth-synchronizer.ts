import type { DepthDiff, DepthSnapshot } from '../common/index.ts';
import { LocalOrderBook } from './local-order-book.ts';
import type { LocalOrderBookOptions } from './local-order-book.ts';

/** What happened to a diff event or snapshot; `gap` and `stale-snapshot` ask the caller for a new snapshot. */
export const SyncOutcome = {
  BUFFERED: 'buffered',
  APPLIED: 'applied',
  IGNORED: 'ignored',
  GAP: 'gap',
  SYNCED: 'synced',
  STALE_SNAPSHOT: 'stale-snapshot',
} as const;
export type SyncOutcome = (typeof SyncOutcome)[keyof typeof SyncOutcome];

const SyncState = { BUFFERING: 'buffering', AWAIT_FIRST: 'await-first', SYNCED: 'synced' } as const;
type SyncState = (typeof SyncState)[keyof typeof SyncState];

/**
 * The documented local order book procedure (binanceus.md A6), without I/O: buffer diff events,
 * take a snapshot, drop events with `u <= lastUpdateId`, require `U <= lastUpdateId+1 <= u` for the
 * first one kept, then `U == previous u + 1`; anything else is a gap: the book is discarded and the
 * caller must fetch a new snapshot.
 */
export class DepthSynchronizer {
  readonly book: LocalOrderBook;
  #state: SyncState = SyncState.BUFFERING;
  #buffer: DepthDiff[] = [];
  readonly #maxBuffered: number;

  constructor(symbol: string, options: LocalOrderBookOptions & { readonly maxBuffered?: number } = {}) {
    this.book = new LocalOrderBook(symbol, options);
    this.#maxBuffered = options.maxBuffered ?? 10_000;
  }

  get synced(): boolean {
    return this.#state !== SyncState.BUFFERING;
  }

  get bufferedCount(): number {
    return this.#buffer.length;
  }

  /** `U` of the first buffered event, which a snapshot must not be older than. */
  get firstBufferedUpdateId(): number | undefined {
    return this.#buffer[0]?.firstUpdateId;
  }

  onDiff(diff: DepthDiff): SyncOutcome {
    if (this.#state === SyncState.BUFFERING) {
      // Bounded: when full, the oldest events go; a snapshot newer than them is still usable.
      if (this.#buffer.length >= this.#maxBuffered) this.#buffer.shift();
      this.#buffer.push(diff);
      return SyncOutcome.BUFFERED;
    }
    return this.#apply(diff);
  }

  onSnapshot(snapshot: DepthSnapshot): SyncOutcome {
    const first = this.#buffer[0];
    if (first !== undefined && snapshot.lastUpdateId < first.firstUpdateId) {
      return SyncOutcome.STALE_SNAPSHOT;
    }
    this.book.reset(snapshot.lastUpdateId, snapshot.bids, snapshot.asks);
    this.#state = SyncState.AWAIT_FIRST;
    const buffered = this.#buffer;
    this.#buffer = [];
    for (const diff of buffered) {
      if (this.#apply(diff) === SyncOutcome.GAP) return SyncOutcome.GAP;
    }
    return SyncOutcome.SYNCED;
  }

  /** Discards the book and starts buffering again (after a reconnect, or a gap seen elsewhere). */
  restart(): void {
    this.#state = SyncState.BUFFERING;
    this.#buffer = [];
    this.book.reset(0, [], []);
  }

  #apply(diff: DepthDiff): SyncOutcome {
    const id = this.book.lastUpdateId;
    if (diff.finalUpdateId <= id) return SyncOutcome.IGNORED;
    const chained =
      this.#state === SyncState.AWAIT_FIRST
        ? diff.firstUpdateId <= id + 1 && id + 1 <= diff.finalUpdateId
        : diff.firstUpdateId === id + 1;
    if (!chained) {
      this.restart();
      this.#buffer.push(diff);
      return SyncOutcome.GAP;
    }
    this.book.applyLevels(diff.bids, diff.asks);
    this.book.lastUpdateId = diff.finalUpdateId;
    this.#state = SyncState.SYNCED;
    return SyncOutcome.APPLIED;
  }
}
