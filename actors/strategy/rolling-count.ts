/** At most `limit` takes in any rolling window of `windowMs` (the bounded order rate of a strategy). */
export class RollingCount {
  readonly #windowMs: number;
  #limit: number;
  readonly #taken: number[] = [];

  constructor(windowMs: number, limit: number) {
    this.#windowMs = windowMs;
    this.#limit = limit;
  }

  setLimit(limit: number): void {
    this.#limit = limit;
  }

  /** Takes one at `now` if the window has room; false (nothing taken) otherwise. */
  tryTake(now: number): boolean {
    while (this.#taken.length > 0 && (this.#taken[0] as number) <= now - this.#windowMs) this.#taken.shift();
    if (this.#taken.length >= this.#limit) return false;
    this.#taken.push(now);
    return true;
  }
}
