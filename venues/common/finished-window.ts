/**
 * The keys of finished things (orders a venue will not move again) kept for the newest `capacity`:
 * adding one past it forgets the oldest through `forget`. A connector keeps what it tracks per order
 * for its live orders and this window of finished ones; a query about an older finished order goes
 * to the venue. A key added again while still in the window is not added twice.
 */
export class FinishedWindow {
  readonly #keys: (string | undefined)[];
  readonly #present = new Set<string>();
  #head = 0;

  constructor(
    readonly capacity: number,
    private readonly forget: (key: string) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`FinishedWindow capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.#keys = new Array<string | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.#present.size;
  }

  add(key: string): void {
    if (this.#present.has(key)) return;
    const oldest = this.#keys[this.#head];
    if (oldest !== undefined) {
      this.#present.delete(oldest);
      this.forget(oldest);
    }
    this.#keys[this.#head] = key;
    this.#present.add(key);
    this.#head = (this.#head + 1) % this.capacity;
  }
}
