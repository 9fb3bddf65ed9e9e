import { isNinjaError } from '../../domain/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { StrategyHealth } from './strategy-health.ts';

/** What every strategy actor's state carries for its tick handling. */
export interface TickState {
  readonly identity: string;
  readonly logger: Logger;
}

/**
 * Runs one tick of a strategy under the demo strategies' failure rules: a FAILED strategy ignores
 * ticks; a retryable error (a book, venue or order manager briefly unreachable) is waited out and
 * reported through `onWait`; anything else is recorded in `health` and rethrown, so kernel
 * supervision restarts the actor, and the crash that exceeds the intensity logs it as FAILED.
 */
export async function supervisedTick<S extends TickState>(
  state: S,
  health: StrategyHealth,
  onWait: (code: string) => void,
  work: () => Promise<void>,
): Promise<S> {
  if (health.isFailed(state.identity)) return state;
  try {
    await work();
    return state;
  } catch (error) {
    if (isNinjaError(error) && error.retryable) {
      onWait(error.code);
      health.report(state.identity, `waiting: ${error.message}`);
      return state;
    }
    if (health.crashed(state.identity, error)) {
      state.logger.error(
        { err: error, status: health.status(state.identity) },
        'strategy FAILED: too many crashes, supervision stopped it',
      );
    }
    throw error;
  }
}
