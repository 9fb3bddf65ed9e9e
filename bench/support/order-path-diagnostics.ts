// What the order-path bench records beside its figures when asked (environment variables), to find
// what made its slow answers: the paced phase's timeline and its promoted or allocated bytes.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { dirname } from 'node:path';
import { summariseAllocations } from './order-path-alloc.ts';
import { loadBuildSourceMaps } from './promoted-profile.ts';
import type { SamplingHeapProfile } from './promoted-profile.ts';
import type { LoadResult, PhasePauses } from './load.ts';

/** NINJA_BENCH_TIMELINE: where the paced phase's timeline goes (JSON); undefined: not recorded. */
export function timelineFile(): string | undefined {
  const file = process.env.NINJA_BENCH_TIMELINE;
  return file === undefined || file === '' ? undefined : file;
}

/** A journal statement as the node saw it (JournalGroupCommit's onStatement). */
export interface CommitTime {
  readonly sentAt: number;
  readonly ms: number;
  readonly appends: number;
}

/** An event-loop turn that came late: when the previous one ran, the gap, and the process CPU in it. */
interface LoopGap {
  readonly atMs: number;
  readonly ms: number;
  readonly cpuMs: number;
}

/** Gaps between loop turns longer than this are recorded (the probe runs every 1 ms). */
const GAP_MS = 3;

/**
 * The paced phase's timeline, when NINJA_BENCH_TIMELINE is set: the journal statements (given to
 * the group commit's onStatement) and the event loop's late turns with the CPU the process used
 * meanwhile (a gap with little CPU is the process waiting for a core, not working).
 */
export class PhaseTimeline {
  readonly commits: CommitTime[] = [];
  readonly #gaps: LoopGap[] = [];
  #probe: NodeJS.Timeout | undefined;

  start(): void {
    this.commits.length = 0;
    this.#gaps.length = 0;
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    this.#probe = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      if (now - last > GAP_MS) {
        const cpuMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
        this.#gaps.push({ atMs: last, ms: now - last, cpuMs });
      }
      last = now;
      lastCpu = cpu;
    }, 1);
  }

  stop(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }

  /**
   * Writes the timeline (times in ms from the phase's start) and prints on stderr each burst of
   * answers over the phase's p99 beside the GC pauses, late loop turns and slow commits around it.
   */
  async write(file: string, paced: LoadResult, pauses: PhasePauses, p99: number): Promise<void> {
    const from = (at: number): number => at - paced.startedAtMs;
    const answers = paced.latenciesMs.map((latency, i) => [paced.sentAtMs[i] ?? 0, latency] as const);
    const gc = pauses.gcPauses.map((p) => [from(p.atMs), p.ms, p.kind] as const);
    const gaps = this.#gaps.map((g) => [from(g.atMs), g.ms, g.cpuMs] as const);
    const commits = this.commits
      .map((c) => [from(c.sentAt), c.ms, c.appends] as const)
      .sort((a, b) => a[0] - b[0]);
    const startedAtEpochMs = performance.timeOrigin + paced.startedAtMs;
    await writeFile(file, JSON.stringify({ startedAtEpochMs, answers, gc, gaps, commits }));
    const text = (list: readonly (readonly [number, number, number | string])[]): string =>
      list
        .map(
          ([at, ms, what]) =>
            `@${at.toFixed(0)}+${ms.toFixed(1)}(${typeof what === 'number' ? what.toFixed(1) : what})`,
        )
        .join(' ') || '-';
    for (const burst of bursts(answers, p99)) {
      const until = burst.lastDue + burst.maxMs;
      const near = <T extends readonly [number, number, number | string]>(
        list: readonly T[],
        min: number,
      ): T[] => list.filter(([at, ms]) => at + ms >= burst.firstDue - 5 && at <= until && ms >= min);
      process.stderr.write(
        `burst: ${burst.count} answers over the p99 due ${burst.firstDue.toFixed(0)}-${burst.lastDue.toFixed(0)} ms, ` +
          `max ${burst.maxMs.toFixed(1)} ms\n  gc: ${text(near(gc, 1))}\n  loop gaps (cpu ms): ${text(near(gaps, 4))}\n` +
          `  commits over 5 ms (appends): ${text(near(commits, 5))}\n`,
      );
    }
  }
}

interface Burst {
  firstDue: number;
  lastDue: number;
  count: number;
  maxMs: number;
}

/** Answers over `threshold`, grouped while the next one was due within 50 ms of the last. */
function bursts(answers: readonly (readonly [number, number])[], threshold: number): Burst[] {
  const slow = answers.filter(([, latency]) => latency > threshold).sort((a, b) => a[0] - b[0]);
  const found: Burst[] = [];
  for (const [due, latency] of slow) {
    const last = found.at(-1);
    if (last !== undefined && due - last.lastDue < 50) {
      last.lastDue = due;
      last.count += 1;
      last.maxMs = Math.max(last.maxMs, latency);
    } else found.push({ firstDue: due, lastDue: due, count: 1, maxMs: latency });
  }
  return found;
}

/**
 * With NINJA_BENCH_HEAP_PROFILE=<file>, V8's sampling heap profile of the paced phase (a
 * .heapprofile for DevTools) counting the objects a full GC collected but not those a scavenge
 * did: what the phase PROMOTED to the old generation (or still holds), which sets how often the
 * full GCs come. With NINJA_BENCH_ALLOC_PROFILE=<file>, the same counting every object however it
 * died (what the phase ALLOCATED, which sets how often the scavenges come), and beside it
 * <file>.txt: bytes per order of `orders` by owner (the node, the paper venue, the load generator)
 * and by site, the bundle's frames mapped to the sources (bench/support/order-path-alloc.ts).
 * V8 has one sampling heap profiler per isolate, so not both at once.
 */
export async function sampleHeap(orders: number): Promise<{ stop(): Promise<void> } | undefined> {
  const promotedFile = nonEmpty(process.env.NINJA_BENCH_HEAP_PROFILE);
  const allocFile = nonEmpty(process.env.NINJA_BENCH_ALLOC_PROFILE);
  if (promotedFile !== undefined && allocFile !== undefined)
    throw new Error('NINJA_BENCH_HEAP_PROFILE and NINJA_BENCH_ALLOC_PROFILE: one sampling profile at a time');
  const file = promotedFile ?? allocFile;
  if (file === undefined) return undefined;
  // The bundle's source maps are read now: the bundle is removed when the bench ends.
  const bundle = process.argv[1];
  const maps =
    allocFile === undefined || bundle === undefined || !bundle.endsWith('.js')
      ? new Map<string, never>()
      : await loadBuildSourceMaps(dirname(bundle));
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error))),
    );
  // The typings of startSampling lack the two include flags V8 has taken since 10.x.
  await post('HeapProfiler.startSampling', {
    samplingInterval: 4_096,
    includeObjectsCollectedByMinorGC: allocFile !== undefined,
    includeObjectsCollectedByMajorGC: true,
  });
  return {
    stop: async () => {
      const result = (await post('HeapProfiler.stopSampling')) as { readonly profile: SamplingHeapProfile };
      session.disconnect();
      await writeFile(file, JSON.stringify(result.profile));
      if (allocFile !== undefined)
        await writeFile(`${allocFile}.txt`, summariseAllocations(result.profile, maps, orders));
    },
  };
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;
