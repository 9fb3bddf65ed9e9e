import { InvalidArgumentError } from '../../../domain/errors.ts';

/** Maximum restart intensity, as in OTP: at most `maxRestarts` restarts within `withinMs`. */
export interface RestartIntensity {
  readonly maxRestarts: number;
  readonly withinMs: number;
}

export const DEFAULT_INTENSITY: RestartIntensity = { maxRestarts: 5, withinMs: 30_000 };

export function validateIntensity(intensity: RestartIntensity): RestartIntensity {
  if (!Number.isInteger(intensity.maxRestarts) || intensity.maxRestarts < 0) {
    throw new InvalidArgumentError(
      'intensity.maxRestarts',
      `must be an integer >= 0, got ${intensity.maxRestarts}`,
    );
  }
  if (!Number.isFinite(intensity.withinMs) || intensity.withinMs <= 0) {
    throw new InvalidArgumentError(
      'intensity.withinMs',
      `must be a finite number > 0, got ${intensity.withinMs}`,
    );
  }
  return intensity;
}

/** The outcome of asking for one more restart. */
export interface RestartGrant {
  /** False when the restart would exceed the intensity: escalate instead. */
  readonly allowed: boolean;
  /** Restarts inside the window, this one included when allowed (1 for the first). */
  readonly restartsInWindow: number;
}

/**
 * The restarts of one actor inside a sliding window. A restart is allowed while fewer than
 * `maxRestarts` restarts happened in the last `withinMs`; the count also picks the backoff step, so
 * an actor that has been healthy for a whole window starts again from the shortest delay.
 */
export class RestartWindow {
  private readonly times: number[] = [];

  constructor(private readonly intensity: RestartIntensity) {}

  request(nowMs: number): RestartGrant {
    const horizon = nowMs - this.intensity.withinMs;
    while (this.times.length > 0 && (this.times[0] ?? Number.POSITIVE_INFINITY) <= horizon)
      this.times.shift();
    if (this.times.length >= this.intensity.maxRestarts) {
      return { allowed: false, restartsInWindow: this.times.length };
    }
    this.times.push(nowMs);
    return { allowed: true, restartsInWindow: this.times.length };
  }
}
