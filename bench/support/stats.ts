import { loadavg } from 'node:os';

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** `figure` beside its target, e.g. `p99 3.10 ms (target ≤ 5 ms) ok`. */
export function beside(name: string, figure: string, target: string, pass: boolean): string {
  return `${name.padEnd(44)} ${figure.padStart(14)}   (target ${target}) ${pass ? 'ok' : 'MISSED'}`;
}

/** The machine's load averages, printed with every figure (benches here share a busy machine). */
export function machineLoad(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
}

/** `after − before` for every field of two readings of the same counters. */
export function fieldDeltas<T extends Record<keyof T, number>>(before: T, after: T): T {
  const delta = {} as Record<keyof T, number>;
  for (const key of Object.keys(after) as (keyof T)[]) delta[key] = after[key] - before[key];
  return delta as T;
}
