import { DEFAULT_HELPER_THREADS_NICE, niceHelperThreads as niceThreads } from '../../nodes/helper-threads.ts';

/**
 * The nice value a bench gives every thread of its processes but the main (event-loop) thread:
 * BENCH_NICE_HELPERS=<nice>, else what a node runs with (nodes/helper-threads.ts); 0 leaves them.
 */
export function helperThreadsNice(): number {
  const spec = process.env.BENCH_NICE_HELPERS;
  return spec === undefined || spec === '' ? DEFAULT_HELPER_THREADS_NICE : Number(spec);
}

/** Renices this process's helper threads as `helperThreadsNice()` says; returns the threads changed. */
export function niceHelperThreads(): number {
  const nice = helperThreadsNice();
  return nice === 0 ? 0 : niceThreads(nice);
}
