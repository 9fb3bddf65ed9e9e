/** A source of uniform numbers in [0, 1); injectable so reconnect timing is reproducible in tests. */
export type RandomSource = () => number;

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly random?: RandomSource;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential from `initialMs`,
 * capped at `maxMs`, with "equal jitter" (half fixed, half random) so many clients dropped at once
 * do not reconnect in lockstep yet none retries immediately.
 */
export function reconnectDelayMs(attempt: number, options: BackoffOptions): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + (options.random ?? Math.random)() * 0.5));
}
