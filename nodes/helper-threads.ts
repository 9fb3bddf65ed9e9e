import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * Gives every thread of this process but the main (event-loop) thread the nice value `nice`: V8's
 * compiler and garbage-collector helper threads and libuv's pool, so that a helper that wakes does
 * not preempt the event loop, and an event loop woken by a frame does not queue behind a helper on
 * the same core. Linux applies setpriority to one thread when given its thread id; threads made
 * later inherit the nice value of the thread that makes them (the main thread's). Returns how many
 * threads it changed. On a 2-vCPU VM this took the remote request p99 at 10,000 requests/s from
 * 2.37–2.42 to 1.34–1.57 ms (docs/remoting.md, session 10); under heavy load it made no difference.
 */
/**
 * What a node runs its helper threads at unless configured (`helperThreadsNice`): they yield to the
 * event loop. 0 leaves them as the process made them.
 */
export const DEFAULT_HELPER_THREADS_NICE = 19;

/** Whether this platform lets a process renice its threads one by one (Linux: /proc/self/task). */
export const CAN_NICE_THREADS = process.platform === 'linux';

export function niceHelperThreads(nice: number, tasksDir = '/proc/self/task'): number {
  if (!Number.isInteger(nice) || nice < -20 || nice > 19)
    throw new InvalidArgumentError(
      'helperThreadsNice',
      `must be an integer from -20 to 19, got ${String(nice)}`,
    );
  let changed = 0;
  for (const tid of readdirSync(tasksDir)) {
    if (Number(tid) === process.pid) continue;
    setPriority(Number(tid), nice);
    changed += 1;
  }
  return changed;
}
