import type { BinanceUsMetrics } from '../common/metrics.ts';
import { BinanceUsRateLimitError } from './error.ts';

export interface RateLimiterOptions {
  /** REQUEST_WEIGHT per minute (exchangeInfo says 1200). */
  readonly weightPerMinute: number;
  /**
   * During a 429/418 pause a request waits for the pause to end if it ends within this many ms;
   * otherwise it fails at once with BinanceUsRateLimitError (ResourceExhausted) carrying retryAfterMs.
   */
  readonly maxPauseWaitMs: number;
  readonly now?: () => number;
}

/**
 * The client's view of its rate-limit budget: the weight and order counts the venue reported in
 * X-MBX-USED-WEIGHT-* / X-MBX-ORDER-COUNT-*, and any pause a 429/418 Retry-After imposed.
 */
export class RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #metrics: BinanceUsMetrics;
  readonly #now: () => number;
  #pausedUntil = 0;
  #usedWeight1m = 0;
  #weightMinute = -1;
  readonly usedWeight = new Map<string, number>();
  readonly orderCount = new Map<string, number>();

  constructor(options: RateLimiterOptions, metrics: BinanceUsMetrics) {
    this.#options = options;
    this.#metrics = metrics;
    this.#now = options.now ?? Date.now;
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Waits out a short pause, or throws when the pause is long or the minute's weight is spent. */
  async acquire(weight: number): Promise<void> {
    const wait = this.#pausedUntil - this.#now();
    if (wait > 0) {
      if (wait > this.#options.maxPauseWaitMs) {
        throw new BinanceUsRateLimitError({
          httpStatus: undefined,
          venueCode: undefined,
          venueMessage: `paused by the venue for another ${wait} ms`,
          retryAfterMs: wait,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const minute = Math.floor(this.#now() / 60_000);
    if (minute === this.#weightMinute && this.#usedWeight1m + weight > this.#options.weightPerMinute) {
      throw new BinanceUsRateLimitError({
        httpStatus: undefined,
        venueCode: undefined,
        venueMessage: `request weight budget spent: ${this.#usedWeight1m} of ${this.#options.weightPerMinute} used this minute`,
        retryAfterMs: (minute + 1) * 60_000 - this.#now(),
      });
    }
  }

  /** Reads the weight and order-count headers of any response. */
  observe(headers: Headers): void {
    headers.forEach((value, name) => {
      const lower = name.toLowerCase();
      const n = Number.parseInt(value, 10);
      if (!Number.isSafeInteger(n)) return;
      if (lower.startsWith('x-mbx-used-weight-')) {
        const interval = lower.slice('x-mbx-used-weight-'.length).toUpperCase();
        this.usedWeight.set(interval, n);
        this.#metrics.usedWeight.set({ interval }, n);
        if (interval === '1M') {
          this.#usedWeight1m = n;
          this.#weightMinute = Math.floor(this.#now() / 60_000);
        }
      } else if (lower.startsWith('x-mbx-order-count-')) {
        const interval = lower.slice('x-mbx-order-count-'.length).toUpperCase();
        this.orderCount.set(interval, n);
        this.#metrics.orderCount.set({ interval }, n);
      }
    });
  }

  /** A 429/418: nothing is sent until Retry-After has passed. */
  pause(retryAfterMs: number, status: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + retryAfterMs);
    this.#metrics.rateLimitPauses.inc({ status: String(status) });
  }
}
