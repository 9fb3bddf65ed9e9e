/**
 * Memory of a trading node: `gekko start` in development (the venue simulators and the paper venue
 * in-process, the demo accounts, the demo market makers and arbitrage detectors trading through
 * the order managers), run as its own process. Its RSS is sampled every SAMPLE_MS from the moment
 * the strategies start; the bench reports the largest sample and the trend (least-squares slope
 * over the samples after the first WARMUP_MS, in MB per minute), and how many orders the node's
 * order managers handled meanwhile, so the figure is known to come from a node that traded.
 *
 * Targets: max RSS ≤ 200 MB, slope ≤ 1 MB/min (flat). The default run is 2 minutes (indicative);
 * the target run is `--minutes 10`. Exits non-zero on a miss.
 * Run: `node cli/bin/run-ts.js bench/node-memory.bench.ts [--minutes 10]`.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { rssMb, startGekko } from './support/node-process.ts';
import { beside, machineLoad } from './support/stats.ts';

const TARGET_MAX_MB = 200;
const TARGET_SLOPE_MB_PER_MIN = 1;
const SAMPLE_MS = 5_000;
const WARMUP_MS = 30_000;
const START_TIMEOUT_MS = 120_000;

interface Sample {
  readonly atMs: number;
  readonly mb: number;
}

/** Least-squares slope of the samples, in MB per minute. */
function slopeMbPerMinute(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanT = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const meanM = samples.reduce((s, x) => s + x.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.atMs - meanT) * (x.mb - meanM);
    den += (x.atMs - meanT) ** 2;
  }
  return (num / den) * 60_000;
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

export async function runNodeMemoryBench(minutes: number): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'gekko-memory-bench-'));
  // As root the embedded PostgreSQL runs as its own OS user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const node = startGekko({
    NINJA_ENV: 'development',
    NINJA_DATA_DIR: dir,
    NINJA_HTTP_PORT: '0',
    NINJA_GRPC_PORT: '0',
    NINJA_LOG_LEVEL: 'info',
    // The development operator's credentials go here, not into the user's configuration.
    XDG_CONFIG_HOME: dir,
  });
  try {
    const ready = await node.logLine('node ready', START_TIMEOUT_MS);
    const started = await node.logLine('demo strategies started', START_TIMEOUT_MS);
    const strategies = Array.isArray(started['strategies']) ? started['strategies'].length : 0;
    const http = String(ready['http']);
    const pid = node.child.pid;
    if (pid === undefined) throw new Error('the node process has no pid');
    const ordersAtStart = metricSum(
      await (await fetch(`${http}/metrics`)).text(),
      'ninja_orders_commands_total',
    );
    const begin = Date.now();
    const samples: Sample[] = [];
    while (Date.now() - begin <= minutes * 60_000) {
      samples.push({ atMs: Date.now() - begin, mb: await rssMb(pid) });
      await sleep(SAMPLE_MS);
    }
    const exposition = await (await fetch(`${http}/metrics`)).text();
    const commands = metricSum(exposition, 'ninja_orders_commands_total') - ordersAtStart;
    const maxMb = Math.max(...samples.map((s) => s.mb));
    const slope = slopeMbPerMinute(
      samples.filter((s) => s.atMs >= Math.min(WARMUP_MS, (minutes * 60_000) / 4)),
    );
    const first = samples[0]?.mb ?? Number.NaN;
    const last = samples.at(-1)?.mb ?? Number.NaN;
    const maxPass = maxMb <= TARGET_MAX_MB;
    const slopePass = slope <= TARGET_SLOPE_MB_PER_MIN;
    process.stdout.write(
      `node memory: ${strategies} demo strategies, ${minutes} min, ${samples.length} samples every ${SAMPLE_MS / 1000} s; ` +
        `${commands} order-manager commands meanwhile; RSS ${first.toFixed(1)} → ${last.toFixed(1)} MB\n` +
        `${beside('max RSS', `${maxMb.toFixed(1)} MB`, `≤ ${TARGET_MAX_MB} MB`, maxPass)}\n` +
        `${beside('RSS slope after warm-up', `${slope.toFixed(2)} MB/min`, `≤ ${TARGET_SLOPE_MB_PER_MIN} MB/min`, slopePass)}\n` +
        `${machineLoad()}\n`,
    );
    return maxPass && slopePass && commands > 0;
  } finally {
    const code = await node.stop();
    if (code !== 0) process.stderr.write(`the node exited with ${String(code)}\n`);
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60)
    throw new Error(`--minutes must be a number above 0 and at most 60, got ${values.minutes}`);
  process.exitCode = (await runNodeMemoryBench(minutes)) ? 0 : 1;
}
