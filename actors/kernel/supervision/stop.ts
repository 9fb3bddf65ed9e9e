import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';

/** STOP: children first, then the actor; queued and later messages become dead letters. */
export function stop(
  actor: Supervised,
  error: unknown,
  correlationId: string | undefined,
): SupervisionOutcome {
  actor.logger.warn({ err: error, correlationId, directive: 'stop' }, 'actor failed; stopping it');
  actor.stopChildren();
  actor.markStopped();
  return SupervisionOutcome.STOP;
}
