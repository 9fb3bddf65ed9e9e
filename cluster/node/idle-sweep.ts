import type { Logger } from '../../observability/index.ts';
import { newCorrelationId } from '../../observability/index.ts';
import type { LocalActors } from './local-actors.ts';

/**
 * Checks a node's activations for idleness every quarter of the shortest idle timeout of its kinds
 * (10 ms to 1 s), so an idle actor passivates between 1 and 1.25 of its timeout. Returns the stop
 * function; nothing runs when no kind has an idle timeout.
 */
export function startIdleSweep(
  idleTimeoutsMs: readonly number[],
  locals: LocalActors,
  logger: Logger,
): () => void {
  if (idleTimeoutsMs.length === 0) return () => undefined;
  const periodMs = Math.min(1000, Math.max(10, Math.min(...idleTimeoutsMs) / 4));
  const timer = setInterval(() => {
    if (locals.size === 0) return;
    const correlationId = newCorrelationId();
    const started = locals.passivateIdle(performance.now(), correlationId);
    if (started > 0) logger.debug({ actors: started, correlationId }, 'passivating idle actors');
  }, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}
