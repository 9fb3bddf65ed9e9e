import { randomUUID } from 'node:crypto';

const COUNTER_LIMIT = 0xffff_ffff_ffff; // 48 bits: the last UUID group
let prefix = '';
let counter = COUNTER_LIMIT;

/**
 * A UUID-shaped correlation id for a message that came without one. `randomUUID` costs about as much
 * as a whole nact dispatch (microseconds on a busy VM), so the first 24 hex digits are random once
 * and the last group counts: unique within the process, and across processes by the random part.
 */
export function nextCorrelationId(): string {
  if (counter >= COUNTER_LIMIT) {
    prefix = randomUUID().slice(0, 24);
    counter = 0;
  }
  counter += 1;
  return prefix + counter.toString(16).padStart(12, '0');
}
