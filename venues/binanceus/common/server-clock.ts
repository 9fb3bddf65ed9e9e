/**
 * Tracks the offset between the venue's clock and ours so that `timestamp` lands inside the
 * venue's recvWindow. The offset is estimated from one `GET /api/v3/time` round trip, assuming the
 * server read its clock half way through it.
 */
export class ServerClock {
  #offsetMs = 0;
  #synced = false;
  readonly #localNow: () => number;

  constructor(localNow: () => number = Date.now) {
    this.#localNow = localNow;
  }

  /** The venue's current time as we estimate it, in ms. */
  now(): number {
    return Math.round(this.#localNow() + this.#offsetMs);
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** Measures the offset with `fetchServerTime` (which returns the venue's `serverTime`). */
  async sync(fetchServerTime: () => Promise<number>): Promise<number> {
    const sent = this.#localNow();
    const serverTime = await fetchServerTime();
    const received = this.#localNow();
    this.#offsetMs = serverTime - (sent + received) / 2;
    this.#synced = true;
    return this.#offsetMs;
  }
}
