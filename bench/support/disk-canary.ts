/**
 * A disk canary: while a phase runs, a worker thread writes a few bytes and fdatasyncs them on the
 * filesystem under test every `intervalMs`, and records how long each flush took. A durable commit
 * waits for the same kind of flush, so a stall of the disk (this VM's shared disk holds a flush for
 * 100-270 ms now and then, at any load) shows here in the same seconds as a burst of slow answers,
 * and a run's tail can be told apart from the code's. At one flush every 20 ms it adds 50 small
 * flushes a second beside the database's own, and a thread that sleeps between them.
 *
 * The worker's loop is synchronous (write, fdatasync, Atomics.wait), so the main thread's event loop
 * and its pauses do not delay it. Times are on the main thread's performance.now() clock.
 */
import { Worker } from 'node:worker_threads';
import { percentile } from './stats.ts';

export interface DiskCanaryOptions {
  /** A folder on the filesystem to watch (the database's data directory). */
  readonly dir: string;
  /** Pause between flushes, ms (default 20). */
  readonly intervalMs?: number;
  /** A flush at least this long counts as a stall (default 20 ms). */
  readonly stallMs?: number;
}

export interface DiskCanaryResult {
  readonly flushes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Each stall: when it began (performance.now() of the main thread) and how long it took. */
  readonly stalls: readonly { readonly atMs: number; readonly ms: number }[];
}

export interface DiskCanary {
  /** Stops the worker and reads what it measured. */
  stop(): Promise<DiskCanaryResult>;
}

// The worker's code: plain JavaScript run with eval (no loader, no TypeScript). Every flush is
// recorded as its start in epoch ms (the worker's timeOrigin + now) and its duration.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { openSync, writeSync, fdatasyncSync, closeSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');
const { dir, intervalMs, stop } = workerData;
const flag = new Int32Array(stop);
const file = join(dir, 'disk-canary-' + process.pid + '-' + Date.now());
const fd = openSync(file, 'w+', 0o600);
const block = Buffer.alloc(512, 1);
// Written once and flushed, so the loop rewrites blocks that exist (as a WAL segment in use).
for (let at = 0; at < 1 << 20; at += block.length) writeSync(fd, block, 0, block.length, at);
fdatasyncSync(fd);
const starts = [];
const durations = [];
let at = 0;
try {
  while (Atomics.load(flag, 0) === 0) {
    block[0] = (block[0] + 1) & 0xff;
    writeSync(fd, block, 0, block.length, at);
    at = (at + block.length) % (1 << 20);
    const began = performance.now();
    fdatasyncSync(fd);
    durations.push(performance.now() - began);
    starts.push(performance.timeOrigin + began);
    Atomics.wait(flag, 0, 0, intervalMs);
  }
} finally {
  closeSync(fd);
  unlinkSync(file);
}
parentPort.postMessage({ starts, durations });
`;

interface WorkerAnswer {
  readonly starts: number[];
  readonly durations: number[];
}

/** Starts the canary; the first flush is within one interval. */
export function startDiskCanary(options: DiskCanaryOptions): DiskCanary {
  const intervalMs = options.intervalMs ?? 20;
  const stallMs = options.stallMs ?? 20;
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dir: options.dir, intervalMs, stop },
  });
  const answer = new Promise<WorkerAnswer>((resolve, reject) => {
    worker.once('message', (message: WorkerAnswer) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`disk canary worker exited with code ${String(code)}`)));
  });
  return {
    async stop(): Promise<DiskCanaryResult> {
      Atomics.store(new Int32Array(stop), 0, 1);
      Atomics.notify(new Int32Array(stop), 0);
      const { starts, durations } = await answer;
      await worker.terminate();
      const offset = -performance.timeOrigin;
      const stalls = durations.flatMap((ms, i) =>
        ms >= stallMs ? [{ atMs: (starts[i] ?? 0) + offset, ms }] : [],
      );
      return {
        flushes: durations.length,
        p50Ms: percentile(durations, 50),
        p99Ms: percentile(durations, 99),
        maxMs: durations.reduce((max, ms) => Math.max(max, ms), 0),
        stalls,
      };
    },
  };
}
