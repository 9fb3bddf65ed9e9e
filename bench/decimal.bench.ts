/**
 * Fixed-point values (domain/values) against decimal.js, side by side in one run: parse, format,
 * add and multiply of exchange decimal strings. Run: `node cli/bin/run-ts.js bench/decimal.bench.ts`.
 * Exits non-zero when a target is missed.
 *
 * Each case owns its timing loop, so every loop's call site stays monomorphic and neither library
 * pays for the other's shapes. Rounds alternate ours and decimal.js and the median round is reported,
 * which keeps the ratio fair on a busy machine.
 */
import { Decimal } from 'decimal.js';
import { pathToFileURL } from 'node:url';
import { Price, Quantity } from '../domain/values/index.ts';

export interface BenchResult {
  readonly operation: string;
  readonly oursNsPerOp: number;
  readonly decimalJsNsPerOp: number;
  /** decimal.js time ÷ our time: how many times faster ours is. */
  readonly ratio: number;
  readonly target: string;
  readonly pass: boolean;
}

export interface DecimalBenchOptions {
  /** Timed rounds per side; the median is reported. */
  readonly rounds?: number;
  /** Wall time of one timed round, in milliseconds. */
  readonly roundMs?: number;
}

interface Target {
  readonly text: string;
  readonly met: (ours: number, ratio: number) => boolean;
}

interface Case {
  readonly operation: string;
  /** Each runs `n` operations and returns something derived from them so the work is not elided. */
  readonly ours: (n: number) => number;
  readonly decimalJs: (n: number) => number;
  readonly targets: readonly Target[];
}

// Price and size strings shaped like Binance.US BTCUSDT / ETHUSDT depth levels, plus OANDA and
// Coinbase-style prices; 32 of them so the index is a cheap mask.
const PRICES = [
  '29123.45000000',
  '29123.44000000',
  '29123.40000000',
  '29123.12000000',
  '29122.99000000',
  '29122.50000000',
  '29121.00000000',
  '29120.01000000',
  '29124.10000000',
  '29124.55000000',
  '29125.00000000',
  '29130.75000000',
  '1850.12000000',
  '1850.11000000',
  '1849.98000000',
  '0.06352100',
  '1.10235',
  '1.10237',
  '149.872',
  '29123.45',
] as const;
const SIZES = [
  '0.00150000',
  '0.12000000',
  '1.00000000',
  '0.03410000',
  '2.50000000',
  '0.00001000',
  '0.50000000',
  '12.00000000',
  '0.00420000',
  '0.25000000',
  '3.14150000',
  '0.00000100',
] as const;
const TEXTS: readonly string[] = [...PRICES, ...SIZES];
const MASK = 31;

const PARSE_MAX_NS = 150;
const PARSE_MIN_RATIO = 5;
const NOT_SLOWER = 1;

let sink = 0;

function cases(): Case[] {
  const prices = TEXTS.map((t) => Price.parse(t));
  const quantities = TEXTS.map((t) => Quantity.parse(t));
  const decimals = TEXTS.map((t) => new Decimal(t));
  const places = prices.map((p) => p.precision);
  const at = <T>(list: readonly T[], i: number): T => list[i & MASK] as T;

  const ratioTarget = (min: number): Target => ({ text: `ratio ≥ ${min}×`, met: (_o, r) => r >= min });
  return [
    {
      operation: 'parse',
      ours: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += Price.parse(at(TEXTS, i)).precision;
        return acc;
      },
      decimalJs: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += new Decimal(at(TEXTS, i)).e;
        return acc;
      },
      targets: [
        { text: `≤ ${PARSE_MAX_NS} ns`, met: (ours) => ours <= PARSE_MAX_NS },
        ratioTarget(PARSE_MIN_RATIO),
      ],
    },
    {
      // decimal.js's toString drops trailing zeros; toFixed(dp) gives the same text as ours.
      operation: 'format (decimal.js: toFixed(dp))',
      ours: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(prices, i).toString().length;
        return acc;
      },
      decimalJs: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(decimals, i).toFixed(at(places, i)).length;
        return acc;
      },
      targets: [ratioTarget(NOT_SLOWER)],
    },
    {
      operation: 'add',
      ours: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(prices, i).add(at(prices, i + 1)).precision;
        return acc;
      },
      decimalJs: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(decimals, i).plus(at(decimals, i + 1)).e;
        return acc;
      },
      targets: [ratioTarget(NOT_SLOWER)],
    },
    {
      operation: 'multiply (price × quantity)',
      ours: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(prices, i).mul(at(quantities, i + 7)).precision;
        return acc;
      },
      decimalJs: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(decimals, i).times(at(decimals, i + 7)).e;
        return acc;
      },
      targets: [ratioTarget(NOT_SLOWER)],
    },
  ];
}

/** Fails loudly if ours and decimal.js would not be doing the same work. */
function checkSameResults(): void {
  for (let i = 0; i < TEXTS.length; i++) {
    const text = TEXTS[i] as string;
    const next = TEXTS[(i + 1) % TEXTS.length] as string;
    const sum = Price.parse(text).add(Price.parse(next));
    const expected = new Decimal(text).plus(new Decimal(next)).toFixed(sum.precision);
    if (Price.parse(text).toString() !== text || sum.toString() !== expected) {
      throw new Error(`bench inputs disagree with decimal.js at ${text}`);
    }
  }
}

function timeNs(run: (n: number) => number, n: number): number {
  const start = process.hrtime.bigint();
  sink ^= run(n);
  return Number(process.hrtime.bigint() - start);
}

/** Operations that take about `ms` milliseconds, after warming the loop up for as long. */
function calibrate(run: (n: number) => number, ms: number): number {
  let n = 1_000;
  let spent = 0;
  const budget = ms * 1e6;
  while (spent < budget) {
    const ns = timeNs(run, n);
    spent += ns;
    if (ns < budget / 10) n *= 2;
  }
  const perOp = timeNs(run, n) / n;
  return Math.max(1_000, Math.round(budget / perOp));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function yieldToEventLoop(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

export async function runDecimalBench(options: DecimalBenchOptions = {}): Promise<BenchResult[]> {
  const rounds = options.rounds ?? 7;
  const roundMs = options.roundMs ?? 120;
  checkSameResults();
  const results: BenchResult[] = [];
  for (const c of cases()) {
    const oursN = calibrate(c.ours, roundMs);
    const theirsN = calibrate(c.decimalJs, roundMs);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(timeNs(c.ours, oursN) / oursN);
      theirs.push(timeNs(c.decimalJs, theirsN) / theirsN);
      await yieldToEventLoop();
    }
    const oursNs = median(ours);
    const theirsNs = median(theirs);
    const ratio = theirsNs / oursNs;
    results.push({
      operation: c.operation,
      oursNsPerOp: oursNs,
      decimalJsNsPerOp: theirsNs,
      ratio,
      target: c.targets.map((t) => t.text).join(', '),
      pass: c.targets.every((t) => t.met(oursNs, ratio)),
    });
  }
  return results;
}

export function formatBenchTable(results: readonly BenchResult[]): string {
  const header = ['operation', 'ours ns/op', 'decimal.js ns/op', 'ratio', 'target', 'result'];
  const rows = results.map((r) => [
    r.operation,
    r.oursNsPerOp.toFixed(1),
    r.decimalJsNsPerOp.toFixed(1),
    `${r.ratio.toFixed(2)}×`,
    r.target,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
    .map((l) => l.trimEnd())
    .join('\n');
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const results = await runDecimalBench();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `decimal bench: node ${process.version}, median of 7 rounds, ${seconds.toFixed(1)} s (sink ${sink & 1})\n\n`,
  );
  process.stdout.write(`${formatBenchTable(results)}\n`);
  if (results.some((r) => !r.pass)) process.exitCode = 1;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main();
}
