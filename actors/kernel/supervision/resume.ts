import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';

/** RESUME: the state is kept and the next message is handled; the failed message is dropped. */
export function resume(
  actor: Supervised,
  error: unknown,
  correlationId: string | undefined,
): SupervisionOutcome {
  actor.logger.warn(
    { err: error, correlationId, directive: 'resume' },
    'actor failed; resuming with its state',
  );
  return SupervisionOutcome.RESUME;
}
