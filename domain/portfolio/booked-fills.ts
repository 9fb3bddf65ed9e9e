import { InvalidArgumentError } from '../errors.ts';

/** What the ledger can tell of a fill from memory alone. */
export const FillRecall = {
  /** Booked, and still remembered: a repeat. */
  BOOKED: 'BOOKED',
  /** Newer than every fill forgotten so far and not remembered: not booked. */
  NEW: 'NEW',
  /** As old as fills already forgotten: booked or not, only the journal can tell. */
  UNKNOWN: 'UNKNOWN',
} as const;
export type FillRecall = (typeof FillRecall)[keyof typeof FillRecall];

/**
 * How many fill keys a ledger remembers, newest booked first. A repeat comes from the order
 * manager re-publishing journaled fills (at once, and again for its recently changed orders after
 * a recovery), so it is a fill of the last minutes: 4,096 keys (≈ 0.4 MB) cover hours of an
 * ordinary account's trading.
 */
export const DEFAULT_REMEMBERED_FILLS = 4_096;

/**
 * How much older than the newest forgotten fill a fill must be to count as newer than all of them.
 * A fill's timestamp is the venue's trade time; a connector may read it from another field of a
 * stream message than of its REST answer (event time beside trade time), a few milliseconds apart.
 */
export const FILL_TIME_MARGIN_MS = 60_000;

/**
 * The dedupe keys of the newest booked fills, bounded, and the newest trade time among the ones
 * forgotten. A fill whose key is forgotten is at least that old, and so is its repeat (the same
 * trade, the same trade time): a fill newer than it (by a margin) and not remembered is new, one
 * older is UNKNOWN and is checked against the journal, which holds every booked fill.
 */
export class BookedFills {
  /** Key → trade time, in booking order (a Map iterates in insertion order). */
  readonly #keys = new Map<string, number>();
  #forgottenUntil = Number.NEGATIVE_INFINITY;

  constructor(
    readonly capacity: number = DEFAULT_REMEMBERED_FILLS,
    readonly marginMs: number = FILL_TIME_MARGIN_MS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidArgumentError('capacity', `must be an integer >= 1, got ${capacity}`);
    }
    if (!Number.isFinite(marginMs) || marginMs < 0) {
      throw new InvalidArgumentError('marginMs', `must be a finite number >= 0, got ${marginMs}`);
    }
  }

  recall(key: string, timestamp: number): FillRecall {
    if (this.#keys.has(key)) return FillRecall.BOOKED;
    return timestamp > this.#forgottenUntil + this.marginMs ? FillRecall.NEW : FillRecall.UNKNOWN;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Remembers a booked fill, forgetting the oldest booked one beyond the capacity. */
  add(key: string, timestamp: number): void {
    this.#keys.set(key, timestamp);
    if (this.#keys.size <= this.capacity) return;
    const oldest = this.#keys.entries().next();
    if (oldest.done === true) return;
    const [oldestKey, oldestTime] = oldest.value;
    this.#keys.delete(oldestKey);
    if (oldestTime > this.#forgottenUntil) this.#forgottenUntil = oldestTime;
  }

  /** Keys remembered now (at most `capacity`). */
  get size(): number {
    return this.#keys.size;
  }

  /** The newest trade time among forgotten fills; −∞ while none was forgotten. */
  get forgottenUntil(): number {
    return this.#forgottenUntil;
  }
}
