import { backoffDelayMs } from './backoff.ts';
import { escalate } from './escalate.ts';
import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';

/** How one restart attempt ended: done, or initialState failed again (a new failure to decide on). */
export type RestartResult =
  | { readonly failed: false; readonly outcome: SupervisionOutcome }
  | { readonly failed: true; readonly error: unknown };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RESTART: stop the children, wait the backoff (messages arriving meanwhile stay queued in order),
 * then re-run initialState. Past the restart intensity the failure escalates instead.
 */
export async function restart(
  actor: Supervised,
  error: unknown,
  correlationId: string | undefined,
  now: () => number = Date.now,
): Promise<RestartResult> {
  const grant = actor.restarts.request(now());
  if (!grant.allowed) {
    const { maxRestarts, withinMs } = actor.policy.intensity;
    const reason = `restart intensity exceeded: ${grant.restartsInWindow} restarts within ${withinMs} ms (max ${maxRestarts})`;
    return { failed: false, outcome: escalate(actor, error, correlationId, reason) };
  }
  const delayMs = backoffDelayMs(actor.policy.backoff, grant.restartsInWindow);
  actor.count('restart');
  actor.logger.warn(
    {
      err: error,
      correlationId,
      directive: 'restart',
      restart: grant.restartsInWindow,
      delayMs: Math.round(delayMs),
    },
    'actor failed; restarting after backoff',
  );
  actor.stopChildren();
  await sleep(delayMs);
  if (actor.stopped) return { failed: false, outcome: SupervisionOutcome.STOP };
  try {
    await actor.reinitialize();
  } catch (initError) {
    return { failed: true, error: initError };
  }
  if (actor.stopped) return { failed: false, outcome: SupervisionOutcome.STOP };
  actor.logger.info({ correlationId, restart: grant.restartsInWindow }, 'actor restarted');
  return { failed: false, outcome: SupervisionOutcome.RESUME };
}
