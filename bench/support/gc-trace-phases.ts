/**
 * What V8's GC did in each measured phase of a bench run: scavenges and mark-compacts (count,
 * pauses), bytes allocated, promoted to the old generation and surviving in the young one, summed
 * from a `--trace-gc-nvp` trace between the phase marks (NINJA_BENCH_PHASE_MARKS). Promoted bytes
 * set how often the mark-compacts come (docs/persistence.md, the order path's session 9 round).
 *
 * Run: `NINJA_BENCH_PHASE_MARKS=1 node --trace-gc-nvp cli/bin/run-ts.js bench/order-path.bench.ts
 *   --node-only > out.txt 2> err.txt; node cli/bin/run-ts.js bench/support/gc-trace-phases.ts out.txt err.txt`
 * (the trace goes to stdout, the marks to stderr; the paced phase's orders are read from the
 * bench's own line "paced N/s: M answered", to give the figures per order).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

interface PhaseGc {
  readonly phase: string;
  readonly scavenges: number;
  readonly markCompacts: number;
  readonly markCompactPausesMs: number[];
  readonly allocatedBytes: number;
  readonly promotedBytes: number;
  readonly survivedBytes: number;
}

const MARK = /^phase (\S+) (begins|ends) pid (\d+) at (\d+) ms$/;
const TRACE = /^\[(\d+):\S+\]\s+(\d+) ms: pause=([\d.]+) /;

/** A trace line of the marked process inside a phase: when (ms since start), its pause, its fields. */
export interface TraceLine {
  readonly atMs: number;
  readonly pauseMs: number;
  readonly fields: ReadonlyMap<string, string>;
}

/** The trace lines of the marked process between each phase's marks, by phase, with the phase's start. */
export function traceByPhase(
  trace: string,
  marks: string,
): Map<string, { readonly fromMs: number; readonly lines: TraceLine[] }> {
  const spans = new Map<string, { pid: string; from: number; to: number }>();
  for (const line of marks.split('\n')) {
    const m = MARK.exec(line);
    if (m === null) continue;
    const [, phase = '', edge, pid = '', at = '0'] = m;
    const span = spans.get(phase) ?? { pid, from: Number.NaN, to: Number.NaN };
    if (edge === 'begins') span.from = Number(at);
    else span.to = Number(at);
    spans.set(phase, span);
  }
  const phases = new Map<string, { readonly fromMs: number; readonly lines: TraceLine[] }>();
  for (const [phase, span] of spans) {
    const lines: TraceLine[] = [];
    for (const line of trace.split('\n')) {
      const m = TRACE.exec(line);
      if (m === null || m[1] !== span.pid) continue;
      const at = Number(m[2]);
      if (at < span.from || at > span.to) continue;
      const fields = new Map<string, string>();
      for (const pair of line.split(' ')) {
        const eq = pair.indexOf('=');
        if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      lines.push({ atMs: at, pauseMs: Number(m[3]), fields });
    }
    phases.set(phase, { fromMs: span.from, lines });
  }
  return phases;
}

/** Sums the trace lines of the marked process between each phase's marks. */
export function gcByPhase(trace: string, marks: string): PhaseGc[] {
  const phases: PhaseGc[] = [];
  for (const [phase, { lines }] of traceByPhase(trace, marks)) {
    let scavenges = 0;
    let allocatedBytes = 0;
    let promotedBytes = 0;
    let survivedBytes = 0;
    const markCompactPausesMs: number[] = [];
    for (const { pauseMs, fields } of lines) {
      const kind = fields.get('gc');
      if (kind === 's') scavenges += 1;
      else if (kind === 'mc' || kind === 'mmc') markCompactPausesMs.push(pauseMs);
      allocatedBytes += Number(fields.get('allocated') ?? 0);
      promotedBytes += Number(fields.get('promoted') ?? 0);
      survivedBytes += Number(fields.get('new_space_survived') ?? 0);
    }
    phases.push({
      phase,
      scavenges,
      markCompacts: markCompactPausesMs.length,
      markCompactPausesMs,
      allocatedBytes,
      promotedBytes,
      survivedBytes,
    });
  }
  return phases;
}

async function main(): Promise<void> {
  const [traceFile, marksFile] = process.argv.slice(2);
  if (traceFile === undefined || marksFile === undefined) {
    throw new Error('usage: gc-trace-phases.ts <stdout with --trace-gc-nvp> <stderr with the phase marks>');
  }
  const trace = await readFile(traceFile, 'utf8');
  const paced = /paced \d+\/s: (\d+) answered/.exec(trace);
  const pacedOrders = paced === null ? undefined : Number(paced[1]);
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  for (const p of gcByPhase(trace, await readFile(marksFile, 'utf8'))) {
    const perOrder =
      p.phase === 'paced' && pacedOrders !== undefined && pacedOrders > 0
        ? ` (${(p.promotedBytes / pacedOrders / 1000).toFixed(2)} kB promoted per order)`
        : '';
    process.stdout.write(
      `${p.phase}: ${p.scavenges} scavenges, ${p.markCompacts} mark-compacts ` +
        `(pauses ${p.markCompactPausesMs.map((ms) => ms.toFixed(1)).join(', ') || '-'} ms); ` +
        `allocated ${mb(p.allocatedBytes)}, promoted ${mb(p.promotedBytes)}${perOrder}, ` +
        `survived in the young generation ${mb(p.survivedBytes)}\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
