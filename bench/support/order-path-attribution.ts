/**
 * What made the order-path bench's slow answers: each answer of the paced phase over a threshold
 * (5 ms, the p99 target) is given to the cause that covered most of its time in flight, read from
 * the phase's timeline (NINJA_BENCH_TIMELINE) and, when given, the process's --trace-gc-nvp trace
 * with the phase marks (the mark-compacts' incremental marking and the phases of their pauses).
 *
 * Each ms of the phase is labelled with the first cause active in it, in this order: a
 * mark-compact's pause (or its incremental step), a scavenge, a mark-compact's concurrent marking
 * (from the start of incremental marking to the pause: the marker threads compete for the two
 * cores, and the main thread's marking steps run in its turns), an event-loop turn late with most
 * of its time in CPU (the process doing something else) or with little (waiting for a core), a
 * journal statement slower than 5 ms as the node saw it (commit wait: with the node's loop on time,
 * the statement waited for PostgreSQL, its WAL flush or its turn on a core). A statement's time as
 * the node sees it includes the node's own late turns, hence the loop before the commit.
 *
 * Run: `NINJA_BENCH_PHASE_MARKS=1 NINJA_BENCH_TIMELINE=tl.json node --trace-gc-nvp cli/bin/run-ts.js
 *   bench/order-path.bench.ts --node-only > out.txt 2> err.txt;
 *   node cli/bin/run-ts.js bench/support/order-path-attribution.ts tl.json [out.txt err.txt]`
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { traceByPhase } from './gc-trace-phases.ts';
import type { TraceLine } from './gc-trace-phases.ts';

/** The timeline as PhaseTimeline.write stores it (times in ms from the phase's start). */
export interface Timeline {
  readonly answers: readonly (readonly [due: number, latencyMs: number])[];
  readonly gc: readonly (readonly [at: number, ms: number, kind: string])[];
  readonly gaps: readonly (readonly [at: number, ms: number, cpuMs: number])[];
  readonly commits: readonly (readonly [sentAt: number, ms: number, appends: number])[];
}

/** A mark-compact of the phase as its trace line tells it (times in the timeline's ms). */
export interface MarkCompact {
  readonly markingFromMs: number;
  readonly pauseAtMs: number;
  readonly pauseMs: number;
  /** Pause phases (mark = atomic marking, evacuate, finish, clear, sweep…) in ms. */
  readonly phases: ReadonlyMap<string, number>;
  /** CPU time of the concurrent marker threads over the cycle (background.mark), ms. */
  readonly markerCpuMs: number;
}

export const CAUSES = [
  'major GC pause',
  'scavenge',
  'major GC marking',
  'loop busy',
  'waiting for a core',
  'commit wait',
  'none seen',
] as const;
export type Cause = (typeof CAUSES)[number];

const SLOW_COMMIT_MS = 5;
const PAUSE_PHASES = ['mark', 'evacuate', 'finish', 'clear', 'sweep', 'prologue', 'epilogue'];

/** How far the trace's clock runs behind performance.now() (the isolate starts after the process). */
const TRACE_BEHIND_MS = 75;

/**
 * The phase's mark-compacts from its trace lines, placed on the timeline's clock: the trace counts
 * from the isolate's start, the timeline from performance.now()'s origin, so each of the timeline's
 * major pauses takes the traced mark-compact that ended nearest to TRACE_BEHIND_MS before it (the
 * trace may hold one more, which ended after the timeline stopped), and its incremental marking is
 * put before it.
 */
export function markCompacts(lines: readonly TraceLine[], fromMs: number, timeline: Timeline): MarkCompact[] {
  const traced = lines.filter((l) => l.fields.get('gc') === 'mc' || l.fields.get('gc') === 'mmc');
  return timeline.gc
    .filter(([, , kind]) => kind === 'major')
    .map(([at, ms]) => {
      const end = at + ms - TRACE_BEHIND_MS;
      let line: TraceLine | undefined;
      for (const l of traced) {
        if (line === undefined || Math.abs(l.atMs - fromMs - end) < Math.abs(line.atMs - fromMs - end))
          line = l;
      }
      const walltime = Number(line?.fields.get('incremental_walltime_duration') ?? 0);
      const phases = new Map(PAUSE_PHASES.map((p) => [p, Number(line?.fields.get(p) ?? 0)] as const));
      const markerCpuMs = Number(line?.fields.get('background.mark') ?? 0);
      return { markingFromMs: at - walltime, pauseAtMs: at, pauseMs: ms, phases, markerCpuMs };
    });
}

/** Slow answers by cause: each answer over `thresholdMs` to the cause that covered most of it. */
export function attribute(
  timeline: Timeline,
  marking: readonly MarkCompact[],
  thresholdMs: number,
): Map<Cause, number> {
  const end = Math.max(0, ...timeline.answers.map(([due, ms]) => due + ms)) + 1;
  const binsPerMs = 10;
  const label = new Uint8Array(Math.ceil(end * binsPerMs)).fill(CAUSES.length - 1);
  const paint = (from: number, ms: number, cause: Cause): void => {
    const rank = CAUSES.indexOf(cause);
    const to = Math.min(label.length, Math.ceil((from + ms) * binsPerMs));
    for (let b = Math.max(0, Math.floor(from * binsPerMs)); b < to; b += 1) {
      if (rank < (label[b] ?? CAUSES.length)) label[b] = rank;
    }
  };
  for (const [at, ms, kind] of timeline.gc) {
    paint(at, ms, kind === 'minor' ? 'scavenge' : kind === 'weak callbacks' ? 'loop busy' : 'major GC pause');
  }
  for (const m of marking) paint(m.markingFromMs, m.pauseAtMs - m.markingFromMs, 'major GC marking');
  for (const [at, ms] of timeline.commits) if (ms > SLOW_COMMIT_MS) paint(at, ms, 'commit wait');
  for (const [at, ms, cpu] of timeline.gaps)
    paint(at, ms, cpu >= ms / 2 ? 'loop busy' : 'waiting for a core');
  const counts = new Map<Cause, number>(CAUSES.map((c) => [c, 0]));
  for (const [due, latency] of timeline.answers) {
    if (latency <= thresholdMs) continue;
    const covered = new Array<number>(CAUSES.length).fill(0);
    const to = Math.min(label.length, Math.ceil((due + latency) * binsPerMs));
    for (let b = Math.floor(due * binsPerMs); b < to; b += 1) {
      const rank = label[b] ?? CAUSES.length - 1;
      covered[rank] = (covered[rank] ?? 0) + 1;
    }
    // The cause that covered most of it; 'none seen' only when no cause covered any of it.
    let best = CAUSES.length - 1;
    let most = 0;
    for (let rank = 0; rank < CAUSES.length - 1; rank += 1) {
      const ms = covered[rank] ?? 0;
      if (ms > most) {
        best = rank;
        most = ms;
      }
    }
    const cause = CAUSES[best] ?? 'none seen';
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return counts;
}

async function main(): Promise<void> {
  const [timelineFile, traceFile, marksFile] = process.argv.slice(2);
  if (timelineFile === undefined) {
    throw new Error(
      'usage: order-path-attribution.ts <timeline.json> [<stdout with --trace-gc-nvp> <stderr with marks>]',
    );
  }
  const timeline = JSON.parse(await readFile(timelineFile, 'utf8')) as Timeline;
  let marking: MarkCompact[] = [];
  if (traceFile !== undefined && marksFile !== undefined) {
    const phases = traceByPhase(await readFile(traceFile, 'utf8'), await readFile(marksFile, 'utf8'));
    const paced = phases.get('paced');
    if (paced === undefined) throw new Error(`no paced phase marked in ${marksFile}`);
    marking = markCompacts(paced.lines, paced.fromMs, timeline);
  }
  const threshold = Number(process.env.SLOW_MS ?? 5);
  const counts = attribute(timeline, marking, threshold);
  const slow = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`${slow} of ${timeline.answers.length} answers over ${threshold} ms:\n`);
  for (const [cause, n] of counts)
    if (n > 0) process.stdout.write(`  ${cause.padEnd(20)} ${String(n).padStart(5)}\n`);
  for (const m of marking) {
    const phases = [...m.phases].map(([p, ms]) => `${p} ${ms.toFixed(1)}`).join(', ');
    process.stdout.write(
      `  mark-compact: marking from ${m.markingFromMs.toFixed(0)} ms for ${(m.pauseAtMs - m.markingFromMs).toFixed(0)} ms ` +
        `(marker threads ${m.markerCpuMs.toFixed(0)} ms CPU), pause ${m.pauseMs.toFixed(1)} ms at ${m.pauseAtMs.toFixed(0)} (${phases})\n`,
    );
  }
  const slowCommits = timeline.commits.filter(([, ms]) => ms > SLOW_COMMIT_MS);
  process.stdout.write(
    `  statements over ${SLOW_COMMIT_MS} ms: ${slowCommits.length} of ${timeline.commits.length}, max ` +
      `${Math.max(0, ...timeline.commits.map(([, ms]) => ms)).toFixed(1)} ms\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
