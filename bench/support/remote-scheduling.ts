/**
 * What the scheduler did to a process over a phase, from Linux's /proc: how long its threads
 * waited runnable for a CPU (schedstat's run-queue wait), how often they were switched out
 * voluntarily (they slept) and involuntarily (preempted), and the host's steal time (the
 * hypervisor running something else on our vCPUs). Read at a phase's start and stop only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fieldDeltas } from './stats.ts';

export interface SchedCounts {
  /** The main (event-loop) thread: ms on a CPU, ms waiting runnable, voluntary and involuntary switches. */
  readonly mainRunMs: number;
  readonly mainWaitMs: number;
  readonly mainVoluntary: number;
  readonly mainInvoluntary: number;
  /** All threads of the process (V8's GC and compiler threads, libuv's pool) together. */
  readonly allRunMs: number;
  readonly allWaitMs: number;
  readonly allInvoluntary: number;
  readonly threads: number;
  /** The whole host's steal time and total CPU time, in ms (/proc/stat, USER_HZ ticks). */
  readonly stealMs: number;
  readonly cpuMs: number;
}

export const NO_SCHED: SchedCounts = {
  mainRunMs: 0,
  mainWaitMs: 0,
  mainVoluntary: 0,
  mainInvoluntary: 0,
  allRunMs: 0,
  allWaitMs: 0,
  allInvoluntary: 0,
  threads: 0,
  stealMs: 0,
  cpuMs: 0,
};

/** /proc/stat counts in USER_HZ, 100 a second on Linux. */
const MS_PER_TICK = 10;

function statusField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]);
}

/** schedstat: ns on a CPU, ns waiting on a run queue, time slices. */
function schedstat(path: string): readonly [number, number] {
  const [run, wait] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
  if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait))
    throw new Error(`${path} does not read as schedstat`);
  return [run / 1e6, wait / 1e6];
}

/** This process's counts now (absolute; subtract with `schedDelta`). */
export function readSched(): SchedCounts {
  const main = `/proc/self/task/${String(process.pid)}`;
  const [mainRunMs, mainWaitMs] = schedstat(`${main}/schedstat`);
  const mainStatus = readFileSync(`${main}/status`, 'utf8');
  let allRunMs = 0;
  let allWaitMs = 0;
  let allInvoluntary = 0;
  let threads = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    // A thread may end between the listing and the read: it is left out of the sums.
    let run: number;
    let wait: number;
    let status: string;
    try {
      [run, wait] = schedstat(`/proc/self/task/${tid}/schedstat`);
      status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    allRunMs += run;
    allWaitMs += wait;
    allInvoluntary += statusField(status, 'nonvoluntary_ctxt_switches');
    threads += 1;
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number);
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  if (cpu === undefined || cpu.length < 8 || cpu.some((v) => !Number.isFinite(v)))
    throw new Error('/proc/stat has no cpu line');
  return {
    mainRunMs,
    mainWaitMs,
    mainVoluntary: statusField(mainStatus, 'voluntary_ctxt_switches'),
    mainInvoluntary: statusField(mainStatus, 'nonvoluntary_ctxt_switches'),
    allRunMs,
    allWaitMs,
    allInvoluntary,
    threads,
    stealMs: (cpu[7] ?? 0) * MS_PER_TICK,
    cpuMs: cpu.slice(0, 8).reduce((a, b) => a + b, 0) * MS_PER_TICK,
  };
}

export function schedDelta(before: SchedCounts, after: SchedCounts): SchedCounts {
  // Threads that ended in between are missing from `after`: the sums are of the threads alive at the stop.
  return { ...fieldDeltas(before, after), threads: after.threads };
}

export function describeSched(s: SchedCounts): string {
  return `scheduler: main thread ${s.mainRunMs.toFixed(0)} ms on CPU, ${s.mainWaitMs.toFixed(1)} ms runnable waiting, ${String(s.mainVoluntary)} sleeps, ${String(s.mainInvoluntary)} preemptions; ${String(s.threads)} threads ${s.allRunMs.toFixed(0)} ms on CPU, ${s.allWaitMs.toFixed(1)} ms waiting, ${String(s.allInvoluntary)} preemptions; host steal ${s.stealMs.toFixed(0)} of ${s.cpuMs.toFixed(0)} CPU-ms`;
}
