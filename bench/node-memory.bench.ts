/**
 * Memory of a trading node: `gekko start` in development (the venue simulators and the paper venue
 * in-process, the demo accounts, a market maker on each of the ten development markets and the
 * arbitrage detectors, trading through the order managers), run as its own process. Its RSS is
 * sampled every SAMPLE_MS from the moment the strategies start; the bench reports the largest
 * sample and the trend (least-squares slope over the samples after the first WARMUP_MS, in MB per
 * minute), how many strategies on how many instruments ran, and how many order-manager commands
 * and venue events the node handled meanwhile, so the figure is known to come from a node that
 * traded. At the end it prints the node's heap figures (prom-client's default metrics) beside the RSS,
 * and per minute the RSS beside its parts (anonymous pages, V8 heap reserved, old and code spaces,
 * external memory, the lowest heap in use, the full collections), so that a rising RSS is traced to
 * what survives collections, to garbage the old generation has not collected yet, or to memory
 * outside the heap. The node runs with `--trace-gc --trace-gc-ignore-scavenger` (one stdout line per
 * full collection, none per scavenge): the heap in use after each full collection is what
 * survives, exactly, and the bench prints it and its slope.
 *
 * The node runs as `npm start` runs it: compiled (`npm run build`, which this bench runs first);
 * `--sources` runs the TypeScript sources through the tsx loader instead, for comparison. The node
 * gets the V8 flags `npm start` gives it (a smaller young generation); `--v8-defaults` leaves
 * them out, `--node-options '<flags>'` adds NODE_OPTIONS and `--node-flags='<flags>'` adds flags to
 * the node's command line (V8 flags that NODE_OPTIONS does not take). `--snapshot-at 3,9
 * --snapshot-dir <dir>` has the node write heap snapshots (bench/support/heap-snapshot-diff.ts);
 * `--gc-log <file>` keeps every line of V8's GC trace. `--node-flags='--trace-gc-nvp
 * --no-trace-gc-ignore-scavenger'` traces every scavenge too: the bench then prints what the scavenges
 * promoted per minute and per venue event. `--promoted-profile <file>` samples what the node promotes
 * after the warm-up by allocation site (bench/support/promoted-profile.ts) and prints the top sites.
 * `--opt-trace` runs the node with `--trace-opt --trace-deopt` and prints, per minute, TurboFan's
 * compilations of functions optimised for the first time and again, and the deoptimisations: whether
 * the code space still grows because more code gets hot, or because code is thrown away and rebuilt.
 *
 * Targets (issue 6): max RSS ≤ 200 MB, slope ≤ 1 MB/min (flat). The default run is 2 minutes
 * (indicative); the target run is `--minutes 10`. Exits non-zero on a miss.
 * Run: `node cli/bin/run-ts.js bench/node-memory.bench.ts [--minutes 10] [--sources] [--v8-defaults]`.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { cpuSeconds, residentMb, startGekko } from './support/node-process.ts';
import {
  inspectorUrl,
  loadBuildSourceMaps,
  startPromotedSampling,
  summarisePromoted,
} from './support/promoted-profile.ts';
import type { BuildSourceMaps, PromotedSampling } from './support/promoted-profile.ts';
import { beside, machineLoad } from './support/stats.ts';
import { RECOMMENDED_NODE_FLAGS } from '../nodes/node-flags.ts';

const TARGET_MAX_MB = 200;
const TARGET_SLOPE_MB_PER_MIN = 1;
const SAMPLE_MS = 5_000;
/**
 * The start-up the slopes leave out: in the first two minutes the heap that survives full
 * collections rises 3-5 MB a minute (V8 compiling the hot paths, the venues' and engines' recent
 * windows and the order managers' finished orders filling); from then on under 1 MB a minute
 * (docs/trading.md, Node memory). Shorter runs leave out their first quarter.
 */
const WARMUP_MS = 120_000;
const START_TIMEOUT_MS = 120_000;
/** The V8 flags package.json's "start" script runs the node with (nodes/node-flags.ts). */
const NPM_START_NODE_FLAGS = RECOMMENDED_NODE_FLAGS;
const TRACE_FULL_GC_FLAGS = ['--trace-gc', '--trace-gc-ignore-scavenger'];
/** One sample per 16 kB allocated on average: ≈ 1,300 samples a minute of what this node promotes. */
const PROMOTED_SAMPLING_BYTES = 16 * 1024;
const PROMOTED_TOP = 25;

interface Sample {
  readonly atMs: number;
  readonly mb: number;
  /** Anonymous resident pages (RssAnon): the V8 heap, malloc's arenas, stacks. */
  readonly anonMb: number;
  /** V8 heap in use at the sample (garbage included until a collection). */
  readonly heapUsedMb: number;
  /** V8 heap reserved for the spaces (what the heap's share of the RSS can be at most). */
  readonly heapTotalMb: number;
  readonly oldSpaceMb: number;
  readonly codeSpaceMb: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers, ArrayBuffers). */
  readonly externalMb: number;
}

/**
 * Per whole minute: the largest RSS, anonymous RSS, heap reserved (old and code spaces too),
 * external memory, the lowest heap in use, the anonymous RSS beside the heap (malloc: gRPC, pg,
 * TLS, the allocator's arenas), and the full collections with the heap in use after the last one:
 * which part a rising RSS comes from.
 */
function minuteTable(samples: readonly Sample[], fullGcs: readonly MainFullGc[]): string {
  const rows: Sample[][] = [];
  for (const s of samples) (rows[Math.floor(s.atMs / 60_000)] ??= []).push(s);
  const max = (xs: readonly Sample[], f: (s: Sample) => number): string => Math.max(...xs.map(f)).toFixed(1);
  const min = (xs: readonly Sample[], f: (s: Sample) => number): string => Math.min(...xs.map(f)).toFixed(1);
  const lines = [
    'minute  RSS max  anon max  heap total  old space  code space  external  heap used min  anon − heap total (max)  full GCs  heap after GC',
  ];
  rows.forEach((xs, minute) => {
    const gcs = fullGcs.filter((gc) => Math.floor(gc.atMs / 60_000) === minute);
    lines.push(
      [
        String(minute).padStart(6),
        max(xs, (s) => s.mb).padStart(8),
        max(xs, (s) => s.anonMb).padStart(9),
        max(xs, (s) => s.heapTotalMb).padStart(11),
        max(xs, (s) => s.oldSpaceMb).padStart(10),
        max(xs, (s) => s.codeSpaceMb).padStart(11),
        max(xs, (s) => s.externalMb).padStart(9),
        min(xs, (s) => s.heapUsedMb).padStart(14),
        max(xs, (s) => s.anonMb - s.heapTotalMb).padStart(24),
        String(gcs.length).padStart(9),
        (gcs.at(-1)?.afterMb.toFixed(1) ?? '').padStart(14),
      ].join(' '),
    );
  });
  return `${lines.join('\n')}\n(MB)`;
}

/**
 * The lowest heap in use of each whole minute: close to what survives a collection, so a rising
 * series is a leak and a flat one is garbage the collector has not reached yet.
 */
function heapFloorPerMinute(samples: readonly Sample[]): number[] {
  const floors: number[] = [];
  for (const s of samples) {
    const minute = Math.floor(s.atMs / 60_000);
    floors[minute] = Math.min(floors[minute] ?? Number.POSITIVE_INFINITY, s.heapUsedMb);
  }
  return floors;
}

/** Least-squares slope of `mb` over `atMs`, in MB per minute. */
function slopeMbPerMinute(points: readonly { readonly atMs: number; readonly mb: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanT = points.reduce((s, x) => s + x.atMs, 0) / n;
  const meanM = points.reduce((s, x) => s + x.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of points) {
    num += (x.atMs - meanT) * (x.mb - meanM);
    den += (x.atMs - meanT) ** 2;
  }
  return (num / den) * 60_000;
}

/** One full (old-generation) collection of the node, from V8's `--trace-gc` line. */
interface FullGc {
  /** The isolate's address: the node's main thread, or a worker thread's (each has its own heap). */
  readonly isolate: string;
  /** Milliseconds since the isolate started, as V8 prints it. */
  readonly isolateMs: number;
  /** `Mark-Compact`, or `Mark-Compact (reduce)` when V8's memory reducer asked for it. */
  readonly kind: string;
  /** Heap in use before and after (all spaces), MB. */
  readonly beforeMb: number;
  readonly afterMb: number;
  /** Why V8 collected, as it says (e.g. "finalize incremental marking via task; GC in old space requested"). */
  readonly reason: string;
}

// `[pid:0x…]   12034 ms: Mark-Compact 61.2 (78.5) -> 44.8 (76.1) MB, … (average mu = …, current mu = …) <reason>; <detail>`
const FULL_GC_LINE =
  /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: (Mark-Compact(?: \(reduce\))?) ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB,.*current mu = [\d.]+\) (.*)$/;

// `--trace-gc-nvp` replaces that line by name=value pairs:
// `[pid:0x…]   12034 ms: pause=5.8 mutator=102.7 gc=mc reduce_memory=0 … total_size_before=… total_size_after=… promoted=…`
const NVP_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: (pause=.*)$/;

/** The name=value pairs of a `--trace-gc-nvp` line, or undefined for any other line. */
function nvpPairs(
  line: string,
): { isolate: string; isolateMs: number; pairs: Map<string, string> } | undefined {
  const match = NVP_LINE.exec(line);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  const pairs = new Map<string, string>();
  for (const pair of match[3].split(' ')) {
    const eq = pair.indexOf('=');
    if (eq > 0) pairs.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return { isolate: match[1], isolateMs: Number(match[2]), pairs };
}

/** A number field of an nvp line; throws when the line lacks it (V8 changed its format). */
function nvpNumber(pairs: ReadonlyMap<string, string>, name: string, line: string): number {
  const value = Number(pairs.get(name));
  if (!Number.isFinite(value)) throw new Error(`no number ${name}= in the GC trace line: ${line}`);
  return value;
}

/** What one scavenge promoted into the old generation (`--trace-gc-nvp` with scavenges traced). */
export interface Scavenge {
  readonly isolate: string;
  readonly isolateMs: number;
  readonly promotedBytes: number;
}

/** The scavenge a `--trace-gc-nvp` line reports, or undefined for any other line. */
export function parseScavenge(line: string): Scavenge | undefined {
  const nvp = nvpPairs(line);
  if (nvp?.pairs.get('gc') !== 's') return undefined;
  return {
    isolate: nvp.isolate,
    isolateMs: nvp.isolateMs,
    promotedBytes: nvpNumber(nvp.pairs, 'promoted', line),
  };
}

/** The full collection a `--trace-gc` (or `--trace-gc-nvp`) line reports, or undefined for any other line. */
export function parseFullGc(line: string): FullGc | undefined {
  const nvp = nvpPairs(line);
  if (nvp !== undefined) {
    const gc = nvp.pairs.get('gc');
    if (gc !== 'mc') return undefined;
    const mbOf = (name: string): number => nvpNumber(nvp.pairs, name, line) / 1024 / 1024;
    return {
      isolate: nvp.isolate,
      isolateMs: nvp.isolateMs,
      kind: nvp.pairs.get('reduce_memory') === '1' ? 'Mark-Compact (reduce)' : 'Mark-Compact',
      beforeMb: mbOf('total_size_before'),
      afterMb: mbOf('total_size_after'),
      reason: `pause ${String(nvpNumber(nvp.pairs, 'pause', line))} ms`,
    };
  }
  const match = FULL_GC_LINE.exec(line);
  if (match === null) return undefined;
  const [, isolate, ms, kind, before, after, reason] = match;
  if (
    isolate === undefined ||
    ms === undefined ||
    kind === undefined ||
    before === undefined ||
    after === undefined ||
    reason === undefined
  )
    return undefined;
  return {
    isolate,
    isolateMs: Number(ms),
    kind,
    beforeMb: Number(before),
    afterMb: Number(after),
    reason: reason.trim(),
  };
}

/** A full collection of the main isolate, timed from the bench's first sample (negative: before it). */
interface MainFullGc extends FullGc {
  readonly atMs: number;
}

/**
 * The main isolate's full collections (the isolate with the largest heap: worker threads, e.g. a
 * log transport's, have small heaps of their own), timed from the first sample: the main isolate
 * starts with the process, `startedToBeginMs` before the first sample.
 */
function mainIsolateGcs(fullGcs: readonly FullGc[], startedToBeginMs: number): MainFullGc[] {
  const largest = new Map<string, number>();
  for (const gc of fullGcs) largest.set(gc.isolate, Math.max(largest.get(gc.isolate) ?? 0, gc.beforeMb));
  const main = [...largest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return fullGcs
    .filter((gc) => gc.isolate === main)
    .map((gc) => ({ ...gc, atMs: gc.isolateMs - startedToBeginMs }));
}

/** The scavenges of the main isolate (the full collections' main isolate), timed from the first sample. */
function mainIsolateScavenges(
  scavenges: readonly Scavenge[],
  mainGcs: readonly MainFullGc[],
  startedToBeginMs: number,
): { atMs: number; promotedBytes: number }[] {
  const main = mainGcs[0]?.isolate;
  return scavenges
    .filter((s) => s.isolate === main)
    .map((s) => ({ atMs: s.isolateMs - startedToBeginMs, promotedBytes: s.promotedBytes }));
}

/**
 * What the scavenges promoted, per minute and after the warm-up (only with
 * `--node-flags='--trace-gc-nvp --no-trace-gc-ignore-scavenger'`; nothing otherwise).
 */
function promotedLines(
  scavenges: readonly { atMs: number; promotedBytes: number }[],
  warmupMs: number,
  minutes: number,
  venueEvents: number,
): string {
  const during = scavenges.filter((s) => s.atMs >= 0);
  if (during.length === 0) return '';
  const perMinute: number[] = [];
  for (const s of during) {
    const minute = Math.floor(s.atMs / 60_000);
    perMinute[minute] = (perMinute[minute] ?? 0) + s.promotedBytes;
  }
  const after = during.filter((s) => s.atMs >= warmupMs);
  const afterMb = after.reduce((sum, s) => sum + s.promotedBytes, 0) / 1024 / 1024;
  const afterMinutes = minutes - warmupMs / 60_000;
  const totalBytes = during.reduce((sum, s) => sum + s.promotedBytes, 0);
  return (
    `scavenges: ${during.length} during the run; promoted per minute: ` +
    `${Array.from(perMinute, (b) => ((b ?? 0) / 1024 / 1024).toFixed(1)).join(', ')} MB; ` +
    `after the warm-up ${(afterMb / afterMinutes).toFixed(2)} MB/min over ${after.length} scavenges; ` +
    `${(totalBytes / Math.max(1, venueEvents) / 1024).toFixed(1)} kB per venue event over the run\n`
  );
}

/** One TurboFan event of `--trace-opt --trace-deopt`, timed by when the bench read its line. */
interface OptEvent {
  readonly atMs: number;
  /** The function's SharedFunctionInfo address: the same function across its closures. */
  readonly sfi: string;
  readonly kind: 'compiled' | 'deopt';
}

const OPT_COMPILED = /^\[completed compiling .*\(sfi = (0x[0-9a-f]+)\)/;
const OPT_BAILOUT = /^\[bailout .*\(sfi = (0x[0-9a-f]+)\)/;

/** The TurboFan event a `--trace-opt --trace-deopt` line reports, or undefined for any other line. */
function parseOptEvent(line: string, atMs: number): OptEvent | undefined {
  const compiled = OPT_COMPILED.exec(line);
  if (compiled?.[1] !== undefined) return { atMs, sfi: compiled[1], kind: 'compiled' };
  const bailout = OPT_BAILOUT.exec(line);
  return bailout?.[1] === undefined ? undefined : { atMs, sfi: bailout[1], kind: 'deopt' };
}

/**
 * Per minute of the run: TurboFan compilations of functions optimised for the first time in the
 * process, of functions optimised before (a deoptimised function, or a new closure of a function
 * whose optimised code V8 no longer keeps), and deoptimisations. Only with `--opt-trace`.
 */
function optLines(events: readonly OptEvent[]): string {
  if (events.length === 0) return '';
  const seen = new Set<string>();
  const rows: [number, number, number][] = [];
  for (const e of events) {
    const firstTime = e.kind === 'compiled' && !seen.has(e.sfi);
    if (e.kind === 'compiled') seen.add(e.sfi);
    if (e.atMs < 0) continue;
    const row = (rows[Math.floor(e.atMs / 60_000)] ??= [0, 0, 0]);
    row[e.kind === 'deopt' ? 2 : firstTime ? 0 : 1] += 1;
  }
  const before = events.filter((e) => e.atMs < 0 && e.kind === 'compiled').length;
  return (
    `TurboFan (--opt-trace): ${before} compilations before the run; per minute, first-time / again / deopts: ` +
    `${Array.from(rows, (r) => (r ?? [0, 0, 0]).join(' / ')).join(', ')}\n`
  );
}

/** `npm run build`: the compiled `gekko` that `npm start` runs. */
async function buildGekko(): Promise<void> {
  const script = fileURLToPath(new URL('../scripts/build.js', import.meta.url));
  await promisify(execFile)(process.execPath, [script]);
}

/**
 * Sources changed since the build (cli/bin/gekko.js then runs the TypeScript sources instead, and
 * the figures would be those of the loader): with several people editing the tree, a source can
 * change between the build and the node's start.
 */
async function staleSources(): Promise<string[]> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const manifest = JSON.parse(await readFile(join(root, 'dist/cli/inputs.json'), 'utf8')) as {
    builtAtMs: number;
    inputs: string[];
  };
  const stale: string[] = [];
  for (const input of manifest.inputs) {
    const info = await stat(join(root, input)).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info === undefined || info.mtimeMs >= manifest.builtAtMs) stale.push(input);
  }
  return stale;
}

/** Builds until the build is fresh when the node starts (a few tries), or throws. */
async function freshBuild(): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await buildGekko();
    const stale = await staleSources();
    if (stale.length === 0) return;
    process.stderr.write(`sources changed during the build (${stale.join(', ')}); building again\n`);
  }
  throw new Error('the sources keep changing: no fresh build to measure');
}

/** Waits until `dir` holds more than `before` files and the newest has stopped growing (a heap snapshot written). */
async function snapshotWritten(dir: string, before: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  let lastSize = -1;
  while (Date.now() < deadline) {
    await sleep(1_000);
    const names = await readdir(dir);
    if (names.length <= before) continue;
    const times = await Promise.all(names.map(async (name) => (await stat(join(dir, name))).mtimeMs));
    const newest = names[times.indexOf(Math.max(...times))] as string;
    const size = (await stat(join(dir, newest))).size;
    if (size > 0 && size === lastSize) return;
    lastSize = size;
  }
  throw new Error(`the node wrote no heap snapshot into ${dir} within 120 s`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Sum of a Prometheus metric's samples in the text exposition. */
function metricSum(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export interface NodeMemoryOptions {
  readonly minutes: number;
  /**
   * Minutes into the run at which the node writes a V8 heap snapshot (`--heapsnapshot-signal`),
   * into `snapshotDir`; for `bench/support/heap-snapshot-diff.ts`. Writing one stops the node for
   * seconds and doubles its heap meanwhile, so the RSS figures of such a run are indicative.
   */
  readonly snapshotAtMinutes: readonly number[];
  readonly snapshotDir?: string;
  /** Run the TypeScript sources through tsx instead of the build. */
  readonly sources: boolean;
  /** NODE_OPTIONS of the node process (V8 heap flags to compare), if any. */
  readonly nodeOptions?: string;
  /** Run the node with V8's default flags instead of NPM_START_NODE_FLAGS. */
  readonly v8Defaults: boolean;
  /** More node or V8 flags for the node's command line (those NODE_OPTIONS does not take), to compare. */
  readonly nodeFlags?: readonly string[];
  /**
   * A file that gets every line the node writes to stdout: V8's GC trace (e.g. with
   * `--node-flags=--trace-gc-nvp`, what each scavenge promoted), for a closer look.
   */
  readonly gcLog?: string;
  /**
   * A file for a sampling heap profile of what the node promotes after the warm-up (objects that
   * survive the young generation, whether they stay live or die in a later full collection;
   * bench/support/promoted-profile.ts), and the top allocation sites printed. The node then runs
   * with its inspector open on loopback; the profile's samples cost little, but the RSS figures of
   * such a run are indicative.
   */
  readonly promotedProfile?: string;
  /** Trace TurboFan (`--trace-opt --trace-deopt`) and print its compilations per minute. */
  readonly optTrace?: boolean;
}

export async function runNodeMemoryBench(options: NodeMemoryOptions): Promise<boolean> {
  const { minutes } = options;
  if (!options.sources) await freshBuild();
  const dir = await mkdtemp(join(tmpdir(), 'gekko-memory-bench-'));
  // As root the embedded PostgreSQL runs as its own OS user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const snapshots = [...options.snapshotAtMinutes].sort((a, b) => a - b);
  const { snapshotDir } = options;
  if (snapshots.length > 0 && snapshotDir === undefined)
    throw new Error('heap snapshots need a snapshot folder (it outlives the run)');
  const nodeFlags = [
    ...(options.v8Defaults ? [] : NPM_START_NODE_FLAGS),
    // One stdout line per full collection (none per scavenge): what survives them, and when V8 ran
    // one. Before `nodeFlags`, which may override them (e.g. `--no-trace-gc-ignore-scavenger`).
    ...TRACE_FULL_GC_FLAGS,
    ...(options.nodeFlags ?? []),
    ...(snapshots.length > 0
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${String(snapshotDir)}`]
      : []),
    ...(options.promotedProfile === undefined ? [] : ['--inspect=127.0.0.1:0']),
    ...(options.optTrace === true ? ['--trace-opt', '--trace-deopt'] : []),
  ];
  const spawnedAt = Date.now();
  const fullGcs: FullGc[] = [];
  const scavenges: Scavenge[] = [];
  const optEvents: OptEvent[] = [];
  // Set when sampling begins: TurboFan events are timed from it (negative before).
  let beginAt = Number.POSITIVE_INFINITY;
  const gcLog = options.gcLog === undefined ? undefined : createWriteStream(options.gcLog);
  const node = startGekko(
    {
      NINJA_ENV: 'development',
      NINJA_DATA_DIR: dir,
      NINJA_HTTP_PORT: '0',
      NINJA_GRPC_PORT: '0',
      NINJA_LOG_LEVEL: 'info',
      // The development operator's credentials go here, not into the user's configuration.
      XDG_CONFIG_HOME: dir,
      ...(options.sources ? { NINJA_RUN_SOURCES: '1' } : {}),
      ...(options.nodeOptions === undefined ? {} : { NODE_OPTIONS: options.nodeOptions }),
    },
    nodeFlags,
    (line) => {
      gcLog?.write(`${line}\n`);
      const gc = parseFullGc(line);
      if (gc !== undefined) fullGcs.push(gc);
      const scavenge = parseScavenge(line);
      if (scavenge !== undefined) scavenges.push(scavenge);
      if (options.optTrace === true) {
        const event = parseOptEvent(line, Number.isFinite(beginAt) ? Date.now() - beginAt : -1);
        if (event !== undefined) optEvents.push(event);
      }
    },
  );
  const inspector =
    options.promotedProfile === undefined ? undefined : inspectorUrl(node.child, START_TIMEOUT_MS);
  let sampling: PromotedSampling | undefined;
  let sourceMaps: BuildSourceMaps = new Map();
  try {
    const ready = await node.logLine('node ready', START_TIMEOUT_MS);
    // gekko.js chose between the build and the sources at its start; a source changed since then
    // may or may not have been seen in time, so say so beside the figures.
    const staleAtStart = options.sources ? [] : await staleSources();
    if (inspector !== undefined && !options.sources)
      sourceMaps = await loadBuildSourceMaps(fileURLToPath(new URL('../dist/cli/', import.meta.url)));
    const started = await node.logLine('demo strategies started', START_TIMEOUT_MS);
    const strategies = Array.isArray(started['strategies']) ? started['strategies'].length : 0;
    const instruments = Array.isArray(started['instruments']) ? started['instruments'].length : 0;
    const http = String(ready['http']);
    const pid = node.child.pid;
    if (pid === undefined) throw new Error('the node process has no pid');
    const atStart = await (await fetch(`${http}/metrics`)).text();
    const commandsAtStart = metricSum(atStart, 'ninja_orders_commands_total');
    const cpuAtStart = await cpuSeconds(pid);
    const eventsAtStart = metricSum(atStart, 'ninja_orders_venue_events_total');
    const begin = Date.now();
    beginAt = begin;
    const samples: Sample[] = [];
    const warmupMs = Math.min(WARMUP_MS, (minutes * 60_000) / 4);
    let sampledFromMs = Number.NaN;
    while (Date.now() - begin <= minutes * 60_000) {
      if (inspector !== undefined && sampling === undefined && Date.now() - begin >= warmupMs) {
        sampling = await startPromotedSampling(await inspector, PROMOTED_SAMPLING_BYTES);
        sampledFromMs = Date.now() - begin;
      }
      const due = snapshots[0];
      if (due !== undefined && Date.now() - begin >= due * 60_000) {
        snapshots.shift();
        process.kill(pid, 'SIGUSR2');
        process.stderr.write(`heap snapshot asked at ${due} min, into ${String(snapshotDir)}\n`);
      }
      const metrics = await (await fetch(`${http}/metrics`)).text();
      const metricMb = (name: string): number => metricSum(metrics, `ninja_nodejs_${name}`) / 1024 / 1024;
      const resident = await residentMb(pid);
      samples.push({
        atMs: Date.now() - begin,
        mb: resident.rss,
        anonMb: resident.anon,
        heapUsedMb: metricMb('heap_size_used_bytes'),
        heapTotalMb: metricMb('heap_size_total_bytes'),
        oldSpaceMb: metricMb('heap_space_size_total_bytes{space="old"}'),
        codeSpaceMb: metricMb('heap_space_size_total_bytes{space="code"}'),
        externalMb: metricMb('external_memory_bytes'),
      });
      await sleep(SAMPLE_MS);
    }
    // A snapshot asked at the run's last minute (`--snapshot-at 3,10` with `--minutes 10`) falls after
    // the last sample: it is taken now, and the node is stopped only once the file is written.
    for (const due of snapshots.splice(0)) {
      const dir = String(snapshotDir);
      const written = (await readdir(dir)).length;
      process.kill(pid, 'SIGUSR2');
      process.stderr.write(`heap snapshot asked at ${due} min (the run's end), into ${dir}\n`);
      await snapshotWritten(dir, written);
    }
    const profile = await sampling?.stop();
    const sampledMinutes = (Date.now() - begin - sampledFromMs) / 60_000;
    const exposition = await (await fetch(`${http}/metrics`)).text();
    const commands = metricSum(exposition, 'ninja_orders_commands_total') - commandsAtStart;
    const events = metricSum(exposition, 'ninja_orders_venue_events_total') - eventsAtStart;
    const cpu = (await cpuSeconds(pid)) - cpuAtStart;
    const heap = (name: string): string => mb(metricSum(exposition, `ninja_nodejs_${name}`));
    const maxMb = Math.max(...samples.map((s) => s.mb));
    const slope = slopeMbPerMinute(samples.filter((s) => s.atMs >= warmupMs));
    const mainGcs = mainIsolateGcs(fullGcs, begin - spawnedAt);
    const duringRun = mainGcs.filter((gc) => gc.atMs >= 0);
    const afterGcSlope = slopeMbPerMinute(
      duringRun.filter((gc) => gc.atMs >= warmupMs).map((gc) => ({ atMs: gc.atMs, mb: gc.afterMb })),
    );
    const first = samples[0]?.mb ?? Number.NaN;
    const last = samples.at(-1)?.mb ?? Number.NaN;
    const maxPass = maxMb <= TARGET_MAX_MB;
    const slopePass = slope <= TARGET_SLOPE_MB_PER_MIN;
    process.stdout.write(
      `node memory (${options.sources ? 'TypeScript sources through tsx' : 'compiled build'}, ` +
        `node flags [${nodeFlags.join(' ')}]` +
        `${options.nodeOptions === undefined ? '' : `, NODE_OPTIONS=${options.nodeOptions}`}): ` +
        `${strategies} demo strategies on ${instruments} instruments, ${minutes} min, ` +
        `${samples.length} samples every ${SAMPLE_MS / 1000} s; ` +
        `${commands} order-manager commands and ${events} venue events meanwhile; ` +
        `node CPU ${cpu.toFixed(1)} s (${((cpu * 1000) / Math.max(1, events)).toFixed(2)} ms per venue event); ` +
        `RSS ${first.toFixed(1)} → ${last.toFixed(1)} MB\n` +
        `${beside('max RSS', `${maxMb.toFixed(1)} MB`, `≤ ${TARGET_MAX_MB} MB`, maxPass)}\n` +
        `${beside(`RSS slope after the first ${(warmupMs / 60_000).toFixed(1)} min`, `${slope.toFixed(2)} MB/min`, `≤ ${TARGET_SLOPE_MB_PER_MIN} MB/min`, slopePass)}\n` +
        `at the end: heap used ${heap('heap_size_used_bytes')} of ${heap('heap_size_total_bytes')} ` +
        `(young generation ${heap('heap_space_size_total_bytes{space="new"}')}), ` +
        `external ${heap('external_memory_bytes')}\n` +
        `lowest heap in use per minute: ${heapFloorPerMinute(samples)
          .map((m) => m.toFixed(1))
          .join(', ')} MB\n` +
        `full collections: ${duringRun.length} during the run ` +
        `(${duringRun.filter((gc) => gc.kind !== 'Mark-Compact').length} by the memory reducer), ` +
        `${mainGcs.length - duringRun.length} before it (main thread; ${fullGcs.length - mainGcs.length} ` +
        `in worker threads); heap in use after each (minute: MB): ` +
        `${duringRun.map((gc) => `${(gc.atMs / 60_000).toFixed(1)}: ${gc.afterMb.toFixed(1)}`).join(', ') || 'none'}\n` +
        `slope of the heap in use after full collections (after the same warm-up): ` +
        `${Number.isNaN(afterGcSlope) ? 'n/a' : `${afterGcSlope.toFixed(2)} MB/min`}\n` +
        `${minuteTable(samples, mainGcs)}\n` +
        promotedLines(
          mainIsolateScavenges(scavenges, mainGcs, begin - spawnedAt),
          warmupMs,
          minutes,
          events,
        ) +
        optLines(optEvents) +
        `${machineLoad()}\n` +
        (staleAtStart.length > 0
          ? `WARNING: ${staleAtStart.join(', ')} changed after the build, before the node was ready: ` +
            'it may have run the TypeScript sources (figures ~60 MB higher)\n'
          : ''),
    );
    if (profile !== undefined && options.promotedProfile !== undefined) {
      await writeFile(options.promotedProfile, JSON.stringify(profile));
      process.stdout.write(
        `${summarisePromoted(profile, sourceMaps, sampledMinutes, PROMOTED_TOP)}\n` +
          `(profile of minutes ${(sampledFromMs / 60_000).toFixed(1)}-${minutes} in ${options.promotedProfile}; ` +
          `${commands} order-manager commands and ${events} venue events over the whole run)\n`,
      );
    }
    return maxPass && slopePass && commands > 0;
  } finally {
    const code = await node.stop();
    if (code !== 0) process.stderr.write(`the node exited with ${String(code)}\n`);
    await rm(dir, { recursive: true, force: true });
    gcLog?.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '2' },
      sources: { type: 'boolean', default: false },
      'v8-defaults': { type: 'boolean', default: false },
      'node-options': { type: 'string' },
      'node-flags': { type: 'string', default: '' },
      'snapshot-at': { type: 'string', default: '' },
      'snapshot-dir': { type: 'string' },
      'gc-log': { type: 'string' },
      'promoted-profile': { type: 'string' },
      'opt-trace': { type: 'boolean', default: false },
    },
  });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60)
    throw new Error(`--minutes must be a number above 0 and at most 60, got ${values.minutes}`);
  const nodeOptions = values['node-options'];
  const snapshotAtMinutes = values['snapshot-at']
    .split(',')
    .filter((m) => m !== '')
    .map(Number);
  if (snapshotAtMinutes.some((m) => !Number.isFinite(m) || m < 0 || m > minutes))
    throw new Error(`--snapshot-at must list minutes within the run, got ${values['snapshot-at']}`);
  const snapshotDir = values['snapshot-dir'];
  const gcLog = values['gc-log'];
  const promotedProfile = values['promoted-profile'];
  process.exitCode = (await runNodeMemoryBench({
    minutes,
    sources: values.sources,
    v8Defaults: values['v8-defaults'],
    snapshotAtMinutes,
    nodeFlags: values['node-flags'].split(' ').filter((f) => f !== ''),
    optTrace: values['opt-trace'],
    ...(nodeOptions === undefined ? {} : { nodeOptions }),
    ...(snapshotDir === undefined ? {} : { snapshotDir }),
    ...(gcLog === undefined ? {} : { gcLog }),
    ...(promotedProfile === undefined ? {} : { promotedProfile }),
  }))
    ? 0
    : 1;
}
