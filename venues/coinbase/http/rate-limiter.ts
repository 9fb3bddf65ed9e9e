import type { CoinbaseMetrics } from '../common/metrics.ts';
import { CoinbaseRateLimitError } from './error.ts';

export interface RateLimiterOptions {
  /**
   * During a pause (429, or the window's budget spent) a request waits for its end if it comes within
   * this many ms; otherwise it fails at once with CoinbaseRateLimitError carrying retryAfterMs.
   */
  readonly maxPauseWaitMs: number;
  /** Pause after a 429 that names no reset (private endpoints are limited per second). */
  readonly defaultPauseMs: number;
  readonly now?: () => number;
}

/**
 * The client's view of its budget from `x-ratelimit-limit` / `-remaining` / `-reset` (reset: epoch
 * seconds when larger than 10^9, else seconds from now), plus any pause a 429 imposed.
 */
export class RateLimiter {
  readonly #o: RateLimiterOptions;
  readonly #metrics: CoinbaseMetrics;
  readonly #now: () => number;
  #pausedUntil = 0;
  #remaining: number | undefined;
  #resetAt = 0;
  limit: number | undefined;

  constructor(options: RateLimiterOptions, metrics: CoinbaseMetrics) {
    this.#o = options;
    this.#metrics = metrics;
    this.#now = options.now ?? Date.now;
  }

  get remaining(): number | undefined {
    return this.#remaining;
  }

  /** Waits out a short pause, or throws when the wait would be long. */
  async acquire(): Promise<void> {
    const now = this.#now();
    let until = this.#pausedUntil;
    if (this.#remaining !== undefined && this.#remaining <= 0 && this.#resetAt > now) {
      until = Math.max(until, this.#resetAt);
    }
    const wait = until - now;
    if (wait <= 0) return;
    if (wait > this.#o.maxPauseWaitMs) {
      throw new CoinbaseRateLimitError({
        httpStatus: undefined,
        venueCode: undefined,
        venueMessage: `rate limited for another ${wait} ms`,
        retryAfterMs: wait,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (this.#remaining !== undefined && this.#remaining <= 0) this.#remaining = undefined;
  }

  observe(headers: Headers): void {
    const limit = int(headers.get('x-ratelimit-limit'));
    const remaining = int(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
    if (limit !== undefined) this.limit = limit;
    if (remaining !== undefined) {
      this.#remaining = remaining;
      this.#metrics.rateLimitRemaining.set(remaining);
    }
    if (Number.isFinite(reset) && reset >= 0) {
      this.#resetAt = reset > 1e9 ? reset * 1000 : this.#now() + reset * 1000;
    }
  }

  /** A 429: nothing is sent until the pause has passed; returns the pause in ms. */
  pause(retryAfterMs: number | undefined, status: number): number {
    const now = this.#now();
    const ms = retryAfterMs ?? (this.#resetAt > now ? this.#resetAt - now : this.#o.defaultPauseMs);
    this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
    this.#metrics.rateLimitPauses.inc({ status: String(status) });
    return ms;
  }
}

function int(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isSafeInteger(n) ? n : undefined;
}
