import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a load run measured: latencies in ms of the requests that succeeded, and the failures. */
export interface LoadResult {
  readonly latenciesMs: number[];
  readonly failures: number;
  readonly firstError: string | undefined;
  /** From the first scheduled send to the last answer. */
  readonly elapsedMs: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Open loop: request i is due at start + i / rate, and its latency runs from when it was DUE, not
 * from when it was sent, so a stall that delays sending is counted (no coordinated omission).
 */
export async function pacedLoad(
  rate: number,
  count: number,
  send: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const interval = 1000 / rate;
  let next = 0;
  while (next < count) {
    const now = performance.now();
    while (next < count && start + next * interval <= now) {
      const due = start + next * interval;
      pending.push(
        send(next).then(
          () => {
            latenciesMs.push(performance.now() - due);
          },
          (error: unknown) => {
            failures += 1;
            firstError ??= describe(error);
          },
        ),
      );
      next += 1;
    }
    if (next < count) await sleep(Math.max(0, start + next * interval - performance.now()));
  }
  await Promise.all(pending);
  return { latenciesMs, failures, firstError, elapsedMs: performance.now() - start };
}

/** Closed loop: `concurrency` senders each send the next request as soon as the last is answered. */
export async function saturatingLoad(
  concurrency: number,
  durationMs: number,
  send: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  let sent = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = sent;
      sent += 1;
      const begun = performance.now();
      try {
        await send(i);
        latenciesMs.push(performance.now() - begun);
      } catch (error) {
        failures += 1;
        firstError ??= describe(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { latenciesMs, failures, firstError, elapsedMs: performance.now() - start };
}
