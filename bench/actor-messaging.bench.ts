/**
 * Local actor messaging through the kernel facade (actors/kernel) against raw nact, side by side in
 * one run: throughput of fire-and-forget messages spread over many actors, and the round trip of
 * one request at a time (facade `request` vs nact `query`). Target: the facade costs at most 20 %.
 * Run: `node cli/bin/run-ts.js bench/actor-messaging.bench.ts`. Exits non-zero when a target is missed.
 *
 * Rounds alternate nact and facade and the median round is reported. Throughput is judged on CPU
 * time (user + system of this process), not wall time: on a shared machine the wall clock mostly
 * measures how long the process waited for a core, which has nothing to do with the facade. Wall
 * rates are printed too. Latencies are wall time per round trip (percentiles absorb the waits).
 */
import { dispatch, query, spawn, start, stop } from 'nact';
import type { Ref } from 'nact';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { createActorSystem, defineActor } from '../actors/index.ts';
import type { ActorRef, ReplyTo } from '../actors/index.ts';
import { createLogger, MetricsRegistry } from '../observability/index.ts';

export interface ActorBenchOptions {
  readonly actors?: number;
  readonly messages?: number;
  readonly requests?: number;
  readonly rounds?: number;
}

export interface ActorBenchResult {
  readonly measure: string;
  readonly nact: number;
  readonly facade: number;
  readonly unit: string;
  /** Facade cost relative to nact: 1.10 = 10 % slower. */
  readonly cost: number;
  readonly target: string;
  readonly pass: boolean;
}

const MAX_COST = 1.2;

type Msg = { readonly type: 'tick' } | { readonly type: 'get'; readonly replyTo: ReplyTo<number> };
const getFactory = (replyTo: ReplyTo<number>): Msg => ({ type: 'get', replyTo });

interface Completion {
  remaining: number;
  done: () => void;
}

let systems = 0;
const nactName = (): string => `bench-nact-${process.pid}-${++systems}`;

interface Elapsed {
  readonly wallMs: number;
  readonly cpuMs: number;
}

// A full collection before each timed section, so that neither side pays for the other's garbage
// (the run-ts launcher takes no node flags, hence exposing gc at run time).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function stopwatch(): () => Elapsed {
  collectGarbage();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1_000 };
  };
}

/** Sends `messages` round-robin over `actors` raw nact actors, until all are handled. */
async function nactThroughput(actors: number, messages: number): Promise<Elapsed> {
  const system = start({ name: nactName() } as unknown as string);
  const completion: Completion = { remaining: messages, done: () => undefined };
  const refs: Ref<number>[] = [];
  for (let i = 0; i < actors; i++) {
    refs.push(
      spawn(system, (state: number, _msg: number) => {
        if (--completion.remaining === 0) completion.done();
        return state + 1;
      }),
    );
  }
  const finished = new Promise<void>((resolve) => {
    completion.done = resolve;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const watch = stopwatch();
  for (let i = 0; i < messages; i++) dispatch(refs[i % actors] as Ref<number>, i);
  await finished;
  const elapsed = watch();
  stop(system);
  return elapsed;
}

async function facadeThroughput(actors: number, messages: number): Promise<Elapsed> {
  const system = createActorSystem({
    name: nactName(),
    logger: createLogger({ level: 'warn' }),
    metrics: new MetricsRegistry(),
  });
  const completion: Completion = { remaining: messages, done: () => undefined };
  const kind = defineActor<number, Msg>({
    kind: 'bench',
    initialState: () => 0,
    receive: (state) => {
      if (--completion.remaining === 0) completion.done();
      return state + 1;
    },
    mailbox: { capacity: messages },
  });
  const refs: ActorRef<Msg>[] = [];
  for (let i = 0; i < actors; i++) refs.push(system.spawn(kind, String(i)));
  const finished = new Promise<void>((resolve) => {
    completion.done = resolve;
  });
  // Let every actor run its initialState (its first, kernel-queued message) before timing.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const tick: Msg = { type: 'tick' };
  const watch = stopwatch();
  for (let i = 0; i < messages; i++) system.send(refs[i % actors] as ActorRef<Msg>, tick);
  await finished;
  const elapsed = watch();
  await system.shutdown();
  return elapsed;
}

/** Round trips of `requests` sequential nact queries, in microseconds each. */
async function nactRoundTrips(requests: number): Promise<number[]> {
  const system = start({ name: nactName() } as unknown as string);
  const actor = spawn(system, (state: number, msg: { readonly replyTo: Ref<number> }) => {
    dispatch(msg.replyTo, state);
    return state + 1;
  });
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await query(actor, (replyTo: Ref<number>) => ({ replyTo }), 5_000);
    samples.push((performance.now() - started) * 1_000);
  }
  stop(system);
  return samples;
}

async function facadeRoundTrips(requests: number): Promise<number[]> {
  const system = createActorSystem({
    name: nactName(),
    logger: createLogger({ level: 'warn' }),
    metrics: new MetricsRegistry(),
  });
  const kind = defineActor<number, Msg>({
    kind: 'bench-request',
    initialState: () => 0,
    receive: (state, msg, ctx) => {
      if (msg.type === 'get') ctx.reply(msg.replyTo, state);
      return state + 1;
    },
  });
  const ref = system.spawn(kind, 'one');
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await system.request(ref, getFactory, { timeoutMs: 5_000 });
    samples.push((performance.now() - started) * 1_000);
  }
  await system.shutdown();
  return samples;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export async function runActorMessagingBench(options: ActorBenchOptions = {}): Promise<ActorBenchResult[]> {
  const actors = options.actors ?? 1_000;
  // 300k per round (1.5M per side over five rounds) keeps the run under ~30 s on a busy 2-core VM.
  const messages = options.messages ?? 300_000;
  const requests = options.requests ?? 10_000;
  const rounds = options.rounds ?? 5;

  // Warm-up: JIT both paths before timing.
  await nactThroughput(actors, messages / 10);
  await facadeThroughput(actors, messages / 10);
  await nactRoundTrips(requests / 10);
  await facadeRoundTrips(requests / 10);

  const nactRates: number[] = [];
  const facadeRates: number[] = [];
  const nactWallRates: number[] = [];
  const facadeWallRates: number[] = [];
  const nactP50: number[] = [];
  const nactP99: number[] = [];
  const facadeP50: number[] = [];
  const facadeP99: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first, so that warm caches or a busy neighbour favour neither.
    const nactFirst = round % 2 === 0;
    const first = nactFirst
      ? await nactThroughput(actors, messages)
      : await facadeThroughput(actors, messages);
    const second = nactFirst
      ? await facadeThroughput(actors, messages)
      : await nactThroughput(actors, messages);
    const nactRound = nactFirst ? first : second;
    const facadeRound = nactFirst ? second : first;
    nactRates.push(messages / (nactRound.cpuMs / 1_000));
    facadeRates.push(messages / (facadeRound.cpuMs / 1_000));
    nactWallRates.push(messages / (nactRound.wallMs / 1_000));
    facadeWallRates.push(messages / (facadeRound.wallMs / 1_000));
    const nactSamples = await nactRoundTrips(requests);
    const facadeSamples = await facadeRoundTrips(requests);
    nactP50.push(percentile(nactSamples, 50));
    nactP99.push(percentile(nactSamples, 99));
    facadeP50.push(percentile(facadeSamples, 50));
    facadeP99.push(percentile(facadeSamples, 99));
  }

  const nactRate = median(nactRates);
  const facadeRate = median(facadeRates);
  const nactWall = median(nactWallRates);
  const facadeWall = median(facadeWallRates);
  const latency = (measure: string, nact: number, facade: number): ActorBenchResult => ({
    measure,
    nact,
    facade,
    unit: 'µs',
    cost: facade / nact,
    target: `≤ ${MAX_COST.toFixed(2)}× nact`,
    pass: facade / nact <= MAX_COST,
  });
  return [
    {
      measure: `throughput, ${actors} actors, ${messages} messages`,
      nact: nactRate,
      facade: facadeRate,
      unit: 'msg/cpu-s',
      cost: nactRate / facadeRate,
      target: `≥ nact ÷ ${MAX_COST.toFixed(2)}`,
      pass: nactRate / facadeRate <= MAX_COST,
    },
    {
      measure: 'throughput, wall clock (information)',
      nact: nactWall,
      facade: facadeWall,
      unit: 'msg/s',
      cost: nactWall / facadeWall,
      target: '—',
      pass: true,
    },
    latency('request round trip p50', median(nactP50), median(facadeP50)),
    latency('request round trip p99', median(nactP99), median(facadeP99)),
  ];
}

export function formatActorBenchTable(results: readonly ActorBenchResult[]): string {
  const header = ['measure', 'nact', 'facade', 'unit', 'cost', 'target', 'result'];
  const figure = (value: number, unit: string): string =>
    unit.startsWith('msg/') ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
  const rows = results.map((r) => [
    r.measure,
    figure(r.nact, r.unit),
    figure(r.facade, r.unit),
    r.unit,
    `${r.cost.toFixed(2)}×`,
    r.target,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 || i >= 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const results = await runActorMessagingBench();
  const seconds = (performance.now() - started) / 1_000;
  process.stdout.write(
    `actor messaging bench: node ${process.version}, nact 7.6.2, median of 5 rounds, ${seconds.toFixed(1)} s\n` +
      'cost = facade ÷ nact for latency, nact ÷ facade for throughput (1.00× = free)\n\n',
  );
  process.stdout.write(`${formatActorBenchTable(results)}\n`);
  if (results.some((r) => !r.pass)) process.exitCode = 1;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main();
}
