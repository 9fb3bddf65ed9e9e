/**
 * Coinbase Advanced Trade normalisation, side by side in one run: recorded `l2_data` and
 * `market_trades` frames (../shared/data) from bytes to domain types (BookDelta levels and
 * PublicTrades with exact decimals and epoch-ms times) against a bare JSON.parse of the same frames;
 * target ≤ 1.3× the bare cost. Times are process CPU time per message (the machine is often shared,
 * and wall time then measures the neighbours), medians of alternating rounds.
 * Run: `node cli/bin/run-ts.js bench/coinbase-parse.bench.ts`. Exits non-zero when a target is missed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseInstrumentId } from '../domain/identifiers/index.ts';
import { normaliseMarketFrame } from '../venues/coinbase/index.ts';

export interface CoinbaseBenchResult {
  readonly name: string;
  readonly figure: string;
  readonly target: string;
  readonly pass: boolean;
}

const FRAMES_FILE = new URL(
  '../../shared/data/coinbase-advanced-trade-ws-excerpt-2026-09-30.ndjson',
  import.meta.url,
);

function recordedFrames(channel: string): Buffer[] {
  return readFileSync(FRAMES_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && line.includes(`"channel":"${channel}"`))
    .map((line) => Buffer.from(line, 'utf8'));
}

let sink = 0;

/** CPU nanoseconds (user + system) per call of `fn`. */
function timeLoop(frames: readonly Buffer[], messages: number, fn: (bytes: Buffer) => unknown): number {
  const started = process.cpuUsage();
  for (let i = 0; i < messages; i++) {
    if (fn(frames[i % frames.length] as Buffer) !== undefined) sink++;
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / messages;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const INSTRUMENTS = new Map([
  ['BTC-USD', parseInstrumentId('BTC-USD.COINBASE')],
  ['ETH-USD', parseInstrumentId('ETH-USD.COINBASE')],
]);
const instrumentOf = (productId: string) => INSTRUMENTS.get(productId);

/** Alternating rounds of bare JSON.parse and full normalisation; the medians are compared. */
function compare(
  name: string,
  frames: readonly Buffer[],
  rounds: number,
  messages: number,
): CoinbaseBenchResult {
  const bare: number[] = [];
  const ours: number[] = [];
  const parse = (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8'));
  const normalise = (bytes: Buffer): unknown => normaliseMarketFrame(bytes.toString('utf8'), instrumentOf);
  for (let r = 0; r < rounds; r++) {
    bare.push(timeLoop(frames, messages, parse));
    ours.push(timeLoop(frames, messages, normalise));
  }
  const b = median(bare);
  const o = median(ours);
  const ratio = o / b;
  return {
    name: `${name}: bytes → domain (${frames.length} recorded frame${frames.length === 1 ? '' : 's'})`,
    figure: `${o.toFixed(0)} CPU ns/msg, ${(1e9 / o / 1e6).toFixed(2)} M msg/s per core; bare JSON.parse ${b.toFixed(0)} CPU ns/msg, ${(1e9 / b / 1e6).toFixed(2)} M msg/s; ratio ${ratio.toFixed(2)}×`,
    target: '≤ 1.30× bare JSON.parse',
    pass: ratio <= 1.3,
  };
}

export function runCoinbaseParseBench(
  options: { rounds?: number; messages?: number } = {},
): CoinbaseBenchResult[] {
  const rounds = options.rounds ?? 7;
  const messages = options.messages ?? 100_000;
  return [
    compare('l2_data', recordedFrames('l2_data'), rounds, messages),
    compare('market_trades', recordedFrames('market_trades'), rounds, messages),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = runCoinbaseParseBench();
  for (const r of results) {
    process.stdout.write(
      `${r.pass ? 'PASS' : 'FAIL'}  ${r.name}\n      ${r.figure}\n      target ${r.target}\n`,
    );
  }
  process.stdout.write(`(sink ${sink})\n`);
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}
