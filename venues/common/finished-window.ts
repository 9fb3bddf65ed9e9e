/** A bound by age of a FinishedWindow: keys finished longer ago than `maxAgeMs` are forgotten too. */
export interface FinishedWindowAge {
  readonly maxAgeMs: number;
  /** Milliseconds; read once per `add`. */
  readonly now: () => number;
}

/**
 * The keys of finished things (orders a venue will not move again) kept for the newest `capacity`,
 * and, given an age bound, only while they finished at most `maxAgeMs` ago: adding one forgets,
 * through `forget`, every key past the age bound and then the oldest beyond the capacity. A connector
 * keeps what it tracks per order for its live orders and this window of finished ones; a query
 * about an older finished order goes to the venue. The age bound makes the window reach its steady
 * size within `maxAgeMs` at any order rate (a count alone fills after capacity / rate, hours for a
 * slow account); keys are checked for age only when one is added. A key added again while still in
 * the window is not added twice.
 */
export class FinishedWindow {
  readonly #keys: (string | undefined)[];
  /** When each key was added (parallel to #keys; used only with an age bound). */
  readonly #addedAt: number[];
  readonly #present = new Set<string>();
  /** Index of the oldest key. */
  #tail = 0;

  constructor(
    readonly capacity: number,
    private readonly forget: (key: string) => void,
    private readonly age?: FinishedWindowAge,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`FinishedWindow capacity must be a positive integer, got ${String(capacity)}`);
    }
    if (age !== undefined && !(Number.isFinite(age.maxAgeMs) && age.maxAgeMs >= 0)) {
      throw new RangeError(
        `FinishedWindow maxAgeMs must be a finite number >= 0, got ${String(age.maxAgeMs)}`,
      );
    }
    this.#keys = new Array<string | undefined>(capacity).fill(undefined);
    this.#addedAt = age === undefined ? [] : new Array<number>(capacity).fill(0);
  }

  get size(): number {
    return this.#present.size;
  }

  add(key: string): void {
    if (this.#present.has(key)) return;
    const now = this.age?.now();
    if (now !== undefined && this.age !== undefined) {
      const oldestKept = now - this.age.maxAgeMs;
      while (this.#present.size > 0 && (this.#addedAt[this.#tail] ?? now) < oldestKept) this.#forgetOldest();
    }
    if (this.#present.size === this.capacity) this.#forgetOldest();
    const head = (this.#tail + this.#present.size) % this.capacity;
    this.#keys[head] = key;
    if (now !== undefined) this.#addedAt[head] = now;
    this.#present.add(key);
  }

  #forgetOldest(): void {
    const oldest = this.#keys[this.#tail];
    this.#keys[this.#tail] = undefined;
    this.#tail = (this.#tail + 1) % this.capacity;
    if (oldest === undefined)
      throw new Error('FinishedWindow: no key at the oldest slot of a non-empty window');
    this.#present.delete(oldest);
    this.forget(oldest);
  }
}
