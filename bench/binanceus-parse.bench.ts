/**
 * Binance.US normalisation and local-book benchmarks, side by side in one run:
 * - recorded aggTrade and diff-depth frames (../shared/data): bytes → domain types with exact decimals
 *   (parseCombinedFrame) against a bare JSON.parse of the same frames; target ≤ 1.3× the bare cost;
 * - book delta apply at depth 1,000 per side: p50 and p99 per applied event; target p99 ≤ 20 µs.
 * Run: `node cli/bin/run-ts.js bench/binanceus-parse.bench.ts`. Exits non-zero when a target is missed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Price, Quantity } from '../domain/values/index.ts';
import { LocalOrderBook, parseCombinedFrame } from '../venues/binanceus/index.ts';
import type { DepthLevel } from '../venues/binanceus/index.ts';

export interface BinanceUsBenchResult {
  readonly name: string;
  readonly figure: string;
  readonly target: string;
  readonly pass: boolean;
}

const FRAMES_FILE = new URL('../../shared/data/binanceus-ws-frames-2021-10-12.ndjson', import.meta.url);

function recordedFrames(kind: string): string[] {
  return readFileSync(FRAMES_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.stringify((JSON.parse(line) as { frame: unknown }).frame))
    .filter((frame) => frame.includes(`"${kind}"`));
}

let sink = 0;

function timeLoop(frames: readonly string[], messages: number, fn: (text: string) => unknown): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages; i++) {
    if (fn(frames[i % frames.length] as string) !== undefined) sink++;
  }
  return Number(process.hrtime.bigint() - started) / messages;
}

/** Alternating rounds of bare JSON.parse and full normalisation; the median of each is compared. */
function compareParse(
  name: string,
  frames: readonly string[],
  rounds: number,
  messages: number,
): BinanceUsBenchResult[] {
  const bare: number[] = [];
  const ours: number[] = [];
  const parse = (text: string): unknown => JSON.parse(text);
  for (let r = 0; r < rounds; r++) {
    bare.push(timeLoop(frames, messages, parse));
    ours.push(timeLoop(frames, messages, parseCombinedFrame));
  }
  const b = median(bare);
  const o = median(ours);
  const ratio = o / b;
  return [
    {
      name: `${name}: normalise (${frames.length} recorded frames)`,
      figure: `${o.toFixed(0)} ns/msg, ${(1e9 / o / 1e6).toFixed(2)} M msg/s; bare JSON.parse ${b.toFixed(0)} ns/msg, ${(1e9 / b / 1e6).toFixed(2)} M msg/s; ratio ${ratio.toFixed(2)}×`,
      target: '≤ 1.30× bare JSON.parse',
      pass: ratio <= 1.3,
    },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Deterministic LCG so runs are comparable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function bookApply(events: number): BinanceUsBenchResult {
  const depth = 1000;
  const book = new LocalOrderBook('BTCUSD');
  const level = (raw: bigint, qty: bigint): DepthLevel => ({
    price: Price.fromRaw(raw, 8),
    quantity: Quantity.fromRaw(qty, 8),
  });
  const mid = 3_000_000_000_000n; // 30000.00000000
  const tick = 1_000_000n; // 0.01
  const bids: DepthLevel[] = [];
  const asks: DepthLevel[] = [];
  for (let i = 1; i <= depth; i++) {
    bids.push(level(mid - BigInt(i) * tick, 100_000_000n));
    asks.push(level(mid + BigInt(i) * tick, 100_000_000n));
  }
  book.reset(1, bids, asks);
  const random = lcg(7);
  // Pre-built events (one to three levels each, like the recorded diffs): updates, deletes and re-inserts.
  const prepared: Array<{ b: DepthLevel[]; a: DepthLevel[] }> = [];
  for (let i = 0; i < 4096; i++) {
    const n = 1 + Math.floor(random() * 3);
    const b: DepthLevel[] = [];
    const a: DepthLevel[] = [];
    for (let j = 0; j < n; j++) {
      const offset = BigInt(1 + Math.floor(random() * depth)) * tick;
      const qty = random() < 0.1 ? 0n : BigInt(1 + Math.floor(random() * 1e8));
      if (random() < 0.5) b.push(level(mid - offset, qty));
      else a.push(level(mid + offset, qty));
    }
    prepared.push({ b, a });
  }
  for (let i = 0; i < 20_000; i++) {
    const e = prepared[i % prepared.length] as { b: DepthLevel[]; a: DepthLevel[] };
    book.applyLevels(e.b, e.a);
  }
  const samples = new Float64Array(events);
  for (let i = 0; i < events; i++) {
    const e = prepared[i % prepared.length] as { b: DepthLevel[]; a: DepthLevel[] };
    const t0 = process.hrtime.bigint();
    book.applyLevels(e.b, e.a);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  const p50 = (samples[Math.floor(events * 0.5)] as number) / 1000;
  const p99 = (samples[Math.floor(events * 0.99)] as number) / 1000;
  sink += book.bids.size + book.asks.size;
  return {
    name: `book delta apply at depth ${depth} (${book.bids.size}/${book.asks.size} levels at end)`,
    figure: `p50 ${p50.toFixed(2)} µs, p99 ${p99.toFixed(2)} µs per event`,
    target: 'p99 ≤ 20 µs',
    pass: p99 <= 20,
  };
}

export function runBinanceUsParseBench(
  options: { rounds?: number; messages?: number; bookEvents?: number } = {},
): BinanceUsBenchResult[] {
  const rounds = options.rounds ?? 7;
  const messages = options.messages ?? 60_000;
  const trades = recordedFrames('aggTrade');
  const depth = recordedFrames('depthUpdate');
  return [
    ...compareParse('aggTrade', trades, rounds, messages),
    ...compareParse('depthUpdate', depth, rounds, messages),
    bookApply(options.bookEvents ?? 100_000),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = runBinanceUsParseBench();
  for (const r of results) {
    process.stdout.write(
      `${r.pass ? 'PASS' : 'FAIL'}  ${r.name}\n      ${r.figure}\n      target ${r.target}\n`,
    );
  }
  process.stdout.write(`(sink ${sink})\n`);
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}
