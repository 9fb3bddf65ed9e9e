import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';

/**
 * ESCALATE: the actor (and its children) stop and the parent receives the failure as its own,
 * handled by the parent's policy; a top-level actor escalates to the system's root supervisor.
 */
export function escalate(
  actor: Supervised,
  error: unknown,
  correlationId: string | undefined,
  reason: string,
): SupervisionOutcome {
  actor.logger.error(
    { err: error, correlationId, directive: 'escalate', reason },
    'actor failed; escalating',
  );
  actor.count('escalation');
  actor.stopChildren();
  actor.markStopped();
  actor.escalate(error, reason);
  return SupervisionOutcome.STOP;
}
