import { Directive } from './directive.ts';
import { escalate } from './escalate.ts';
import { restart } from './restart.ts';
import { resume } from './resume.ts';
import { stop } from './stop.ts';
import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';

/**
 * Applies the actor's policy to a failure until it settles: a restart whose initialState fails
 * again is a new failure, decided again (and bounded by the restart intensity). Never rejects: an
 * unexpected error here is logged and stops the actor.
 */
export async function superviseFailure(
  actor: Supervised,
  failure: unknown,
  correlationId: string | undefined,
): Promise<SupervisionOutcome> {
  if (actor.stopped) return SupervisionOutcome.STOP;
  let error = failure;
  try {
    for (;;) {
      let directive = decide(actor, error);
      // Without a state there is nothing to resume: an initialisation failure restarts instead.
      if (directive === Directive.RESUME && !actor.initialized) directive = Directive.RESTART;
      actor.countFailure(directive);
      switch (directive) {
        case Directive.RESUME:
          return resume(actor, error, correlationId);
        case Directive.STOP:
          return stop(actor, error, correlationId);
        case Directive.ESCALATE:
          return escalate(actor, error, correlationId, 'the policy chose to escalate');
        case Directive.RESTART: {
          const result = await restart(actor, error, correlationId);
          if (!result.failed) return result.outcome;
          error = result.error;
          break;
        }
      }
    }
  } catch (unexpected) {
    actor.logger.error(
      { err: unexpected, failure: error, correlationId },
      'supervision itself failed; stopping the actor',
    );
    actor.markStopped();
    return SupervisionOutcome.STOP;
  }
}

function decide(actor: Supervised, error: unknown): Directive {
  try {
    return actor.policy.decide(error);
  } catch (decideError) {
    actor.logger.error({ err: decideError, failure: error }, 'decide() threw; escalating the failure');
    return Directive.ESCALATE;
  }
}
