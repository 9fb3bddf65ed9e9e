/** Exponential backoff with full jitter, for reconnect attempts. */
export interface BackoffOptions {
  /** First delay, ms (default 50). */
  readonly initialMs?: number;
  /** Upper bound of any delay, ms (default 5000). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly multiplier?: number;
  /** Fraction of each delay that is randomised, 0..1 (default 0.5: delay in [d/2, d]). */
  readonly jitter?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private attempt = 0;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 50;
    this.maxMs = options.maxMs ?? 5000;
    this.multiplier = options.multiplier ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call grows the next. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.attempt);
    this.attempt += 1;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
