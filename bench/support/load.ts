import { PerformanceObserver, constants, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a load run measured: latencies in ms of the requests that succeeded, and the failures. */
export interface LoadResult {
  readonly latenciesMs: number[];
  readonly failures: number;
  readonly firstError: string | undefined;
  /** From the first scheduled send to the last answer. */
  readonly elapsedMs: number;
  /** When each answered request was due (paced) or sent (saturated), ms from the start, as latenciesMs. */
  readonly sentAtMs: number[];
  /** performance.now() when the run began (sentAtMs is relative to it). */
  readonly startedAtMs: number;
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
  const sentAtMs: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  // Counted, not collected: an array of every request's promise would keep them all alive for the
  // whole phase (promoted by the GC, which the process under test then pays for).
  let outstanding = 0;
  let allAnswered: (() => void) | undefined;
  const answered = (): void => {
    outstanding -= 1;
    if (outstanding === 0) allAnswered?.();
  };
  const start = performance.now();
  const interval = 1000 / rate;
  let next = 0;
  while (next < count) {
    const now = performance.now();
    while (next < count && start + next * interval <= now) {
      const due = start + next * interval;
      outstanding += 1;
      send(next).then(
        () => {
          latenciesMs.push(performance.now() - due);
          sentAtMs.push(due - start);
          answered();
        },
        (error: unknown) => {
          failures += 1;
          firstError ??= describe(error);
          answered();
        },
      );
      next += 1;
    }
    if (next < count) await sleep(Math.max(0, start + next * interval - performance.now()));
  }
  if (outstanding > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  const elapsedMs = performance.now() - start;
  return { latenciesMs, failures, firstError, elapsedMs, sentAtMs, startedAtMs: start };
}

/** Closed loop: `concurrency` senders each send the next request as soon as the last is answered. */
export async function saturatingLoad(
  concurrency: number,
  durationMs: number,
  send: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const sentAtMs: number[] = [];
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
        sentAtMs.push(begun - start);
      } catch (error) {
        failures += 1;
        firstError ??= describe(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const elapsedMs = performance.now() - start;
  return { latenciesMs, failures, firstError, elapsedMs, sentAtMs, startedAtMs: start };
}

/** What stalled the event loop during a phase: its delay histogram and V8's GC pauses. */
export interface PhasePauses {
  /** Event-loop delay (ms; sampled every 1 ms): p50, p99 and max. */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** GC pauses by kind (minor = scavenge, major = mark-compact, incremental, weak callbacks). */
  readonly gc: ReadonlyMap<string, { count: number; totalMs: number; maxMs: number }>;
  /** Each GC pause: performance.now() at its start, its duration (ms) and kind, in order. */
  readonly gcPauses: readonly { readonly atMs: number; readonly ms: number; readonly kind: string }[];
}

/** How many answers of `result` took longer than `thresholdMs`, per second of the phase (by when sent). */
export function slowPerSecond(result: LoadResult, thresholdMs: number): number[] {
  const seconds = Math.max(1, Math.ceil(result.elapsedMs / 1000));
  const counts = new Array<number>(seconds).fill(0);
  result.latenciesMs.forEach((latency, i) => {
    const second = Math.floor((result.sentAtMs[i] ?? 0) / 1000);
    if (latency > thresholdMs && second < seconds) counts[second] = (counts[second] ?? 0) + 1;
  });
  return counts;
}

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/**
 * Runs `phase` while recording the event loop's delay and the GC pauses: where a tail latency can
 * come from in a process that is one thread (the load generator runs in it too).
 */
export async function observePauses<T>(phase: () => Promise<T>): Promise<{ result: T; pauses: PhasePauses }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const gc = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  const gcPauses: { atMs: number; ms: number; kind: string }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node's GC entries carry their kind in `detail`, which its PerformanceEntry typings omit.
      const detail = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail;
      const kind = (detail?.kind === undefined ? undefined : GC_KINDS[detail.kind]) ?? 'other';
      const seen = gc.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
      gcPauses.push({ atMs: entry.startTime, ms: entry.duration, kind });
      seen.count += 1;
      seen.totalMs += entry.duration;
      seen.maxMs = Math.max(seen.maxMs, entry.duration);
      gc.set(kind, seen);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  delay.enable();
  try {
    const result = await phase();
    const ms = (ns: number): number => ns / 1e6;
    return {
      result,
      pauses: {
        loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        gc,
        gcPauses,
      },
    };
  } finally {
    delay.disable();
    observer.disconnect();
  }
}
