/**
 * OANDA pricing-stream normalisation, side by side with a bare JSON.parse of the same lines in one
 * run: the recorded PRICE and HEARTBEAT lines (../shared/data) → domain types with exact decimals
 * (parsePricingLine: the layout-matched fast path, falling back to the validating parser). Target:
 * ≤ 1.3× the bare parse cost per line. Also shown: the validating parser alone (JSON.parse + checks).
 * Times are process CPU time per message (the machine is often shared, and wall time then measures
 * the neighbours), medians of alternating rounds.
 * Run: `node cli/bin/run-ts.js bench/oanda-parse.bench.ts`. Exits non-zero when the target is missed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parsePricingLine, parsePricingLineText } from '../venues/oanda/index.ts';

export interface OandaBenchResult {
  readonly name: string;
  readonly figure: string;
  readonly target: string;
  readonly pass: boolean;
}

const DATA = new URL('../../shared/data/', import.meta.url);

function recordedLines(): string[] {
  const ndjson = [
    'oanda-v20-pricing-stream-2017-03-09.ndjson',
    'oanda-v20-pricing-stream-docs-example.ndjson',
  ].flatMap((f) =>
    readFileSync(new URL(f, DATA), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0),
  );
  const responses = JSON.parse(readFileSync(new URL('oanda-v20-practice-responses.json', DATA), 'utf8')) as {
    pricing_stream_lines: unknown[];
    transaction_stream_lines: unknown[];
  };
  return [
    ...ndjson,
    ...responses.pricing_stream_lines.map((l) => JSON.stringify(l)),
    ...responses.transaction_stream_lines.map((l) => JSON.stringify(l)),
  ];
}

/**
 * The recorded lines with every liquidity made unique (line k adds k), so no level repeats: shows
 * that the figure does not rest on a cache of repeated values (the parser keeps none of levels).
 */
function uniqueLevelLines(lines: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const line = lines[k % lines.length] as string;
    out.push(line.replace(/"liquidity":(\d+)/g, (_m, n: string) => `"liquidity":${Number(n) + k + 1}`));
  }
  return out;
}

let sink = 0;

/** CPU nanoseconds (user + system) per call of `fn`. */
function timeLoop(lines: readonly string[], messages: number, fn: (text: string) => unknown): number {
  const started = process.cpuUsage();
  for (let i = 0; i < messages; i++) {
    if (fn(lines[i % lines.length] as string) !== undefined) sink++;
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / messages;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const rate = (ns: number): string => `${(1e9 / ns / 1e6).toFixed(2)} M msg/s per core`;

export function runOandaParseBench(options: { rounds?: number; messages?: number } = {}): OandaBenchResult[] {
  const rounds = options.rounds ?? 11;
  const messages = options.messages ?? 100_000;
  const lines = recordedLines();
  const bare: number[] = [];
  const ours: number[] = [];
  const validating: number[] = [];
  const parse = (text: string): unknown => JSON.parse(text);
  for (let r = 0; r < rounds; r++) {
    bare.push(timeLoop(lines, messages, parse));
    ours.push(timeLoop(lines, messages, parsePricingLine));
    validating.push(timeLoop(lines, messages, parsePricingLineText));
  }
  const unique = uniqueLevelLines(lines, 20_000);
  const bareUnique: number[] = [];
  const oursUnique: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bareUnique.push(timeLoop(unique, unique.length, parse));
    oursUnique.push(timeLoop(unique, unique.length, parsePricingLine));
  }
  const b = median(bare);
  const o = median(ours);
  const v = median(validating);
  const bu = median(bareUnique);
  const ou = median(oursUnique);
  return [
    {
      name: `pricing lines: normalise (${lines.length} recorded lines, one core)`,
      figure: `${o.toFixed(0)} CPU ns/msg, ${rate(o)}; bare JSON.parse ${b.toFixed(0)} CPU ns/msg, ${rate(b)}; ratio ${(o / b).toFixed(2)}×`,
      target: '≤ 1.30× bare JSON.parse',
      pass: o / b <= 1.3,
    },
    {
      name: 'pricing lines with no repeated level, for reference',
      figure: `${ou.toFixed(0)} CPU ns/msg, ${rate(ou)}; bare JSON.parse ${bu.toFixed(0)} CPU ns/msg; ratio ${(ou / bu).toFixed(2)}×`,
      target: 'none (same parser, no value repeats)',
      pass: true,
    },
    {
      name: 'pricing lines: validating parser only (JSON.parse + field checks), for reference',
      figure: `${v.toFixed(0)} CPU ns/msg, ${rate(v)}; ratio ${(v / b).toFixed(2)}× bare`,
      target: 'none (fallback path)',
      pass: true,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = runOandaParseBench();
  for (const r of results) {
    process.stdout.write(
      `${r.pass ? 'PASS' : 'FAIL'}  ${r.name}\n      ${r.figure}\n      target ${r.target}\n`,
    );
  }
  process.stdout.write(`(sink ${sink})\n`);
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}
