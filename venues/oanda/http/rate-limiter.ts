/**
 * A token bucket: at most `perSecond` acquisitions in any second (burst = perSecond), with waiting
 * instead of failing, and a pause that a 429 imposes on everyone. Used twice: REST requests
 * (120/s) and new streaming connections (2/s).
 */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  /** Serialises waiters so that tokens go out in arrival order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(perSecond: number, now: () => number = Date.now) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${perSecond}`);
    this.#perSecond = perSecond;
    this.#now = now;
    this.#tokens = perSecond;
    this.#refilledAt = now();
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Resolves when a token is available; returns how long the caller waited, ms. */
  acquire(): Promise<number> {
    const started = this.#now();
    const turn = this.#queue.then(async () => {
      for (;;) {
        const now = this.#now();
        this.#refill(now);
        const pause = this.#pausedUntil - now;
        if (pause <= 0 && this.#tokens >= 1) {
          this.#tokens -= 1;
          return;
        }
        const wait = Math.max(pause, Math.ceil(((1 - this.#tokens) * 1000) / this.#perSecond), 1);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    this.#queue = turn;
    return turn.then(() => this.#now() - started);
  }

  /** Nothing is acquired until `ms` from now (a venue 429). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  #refill(now: number): void {
    const elapsed = now - this.#refilledAt;
    if (elapsed <= 0) return;
    this.#tokens = Math.min(this.#perSecond, this.#tokens + (elapsed * this.#perSecond) / 1000);
    this.#refilledAt = now;
  }
}
