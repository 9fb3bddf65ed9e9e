import { DEFAULT_BACKOFF, validateBackoff } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import { Directive } from './directive.ts';
import { DEFAULT_INTENSITY, validateIntensity } from './restart-window.ts';
import type { RestartIntensity } from './restart-window.ts';

/** How failures of one actor kind are handled. */
export interface SupervisionPolicy {
  /** Maps a failure to a directive; must not throw (a throw counts as ESCALATE). */
  readonly decide: (error: unknown) => Directive;
  /** Past this many restarts in the window, a RESTART becomes an ESCALATE. */
  readonly intensity: RestartIntensity;
  readonly backoff: BackoffOptions;
}

/** What a definition may give; everything missing takes the default. */
export interface SupervisionOptions {
  readonly decide?: (error: unknown) => Directive;
  readonly intensity?: Partial<RestartIntensity>;
  readonly backoff?: Partial<BackoffOptions>;
}

/** Every failure restarts, at most 5 times in 30 s, 100 ms doubling to 10 s, 20 % jitter. */
export const restartAlways = (): Directive => Directive.RESTART;

export function supervisionPolicy(options: SupervisionOptions = {}): SupervisionPolicy {
  return {
    decide: options.decide ?? restartAlways,
    intensity: validateIntensity({ ...DEFAULT_INTENSITY, ...options.intensity }),
    backoff: validateBackoff({ ...DEFAULT_BACKOFF, ...options.backoff }),
  };
}
