import { InvalidArgumentError } from '../../../domain/errors.ts';

/** Delay between consecutive restarts of one actor: `initialMs · multiplier^(n-1)`, capped, jittered. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  /** Fraction in [0, 1] by which a delay is randomly shortened, so that actors failing together do not restart together. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000, multiplier: 2, jitter: 0.2 };

export function validateBackoff(options: BackoffOptions): BackoffOptions {
  const { initialMs, maxMs, multiplier, jitter } = options;
  if (!Number.isFinite(initialMs) || initialMs < 0) {
    throw new InvalidArgumentError('backoff.initialMs', `must be a finite number >= 0, got ${initialMs}`);
  }
  if (!Number.isFinite(maxMs) || maxMs < initialMs) {
    throw new InvalidArgumentError(
      'backoff.maxMs',
      `must be finite and >= initialMs (${initialMs}), got ${maxMs}`,
    );
  }
  if (!Number.isFinite(multiplier) || multiplier < 1) {
    throw new InvalidArgumentError('backoff.multiplier', `must be a finite number >= 1, got ${multiplier}`);
  }
  if (!(jitter >= 0 && jitter <= 1)) {
    throw new InvalidArgumentError('backoff.jitter', `must be within [0, 1], got ${jitter}`);
  }
  return options;
}

/**
 * The delay before restart number `restart` (1 for the first restart in the current intensity
 * window). The result lies in `[base · (1 - jitter), base]` where `base = min(maxMs, initialMs ·
 * multiplier^(restart-1))`, so it never exceeds `maxMs`. `random` returns a number in [0, 1).
 */
export function backoffDelayMs(
  options: BackoffOptions,
  restart: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, restart - 1);
  const base = Math.min(options.maxMs, options.initialMs * options.multiplier ** exponent);
  return base * (1 - options.jitter * random());
}
