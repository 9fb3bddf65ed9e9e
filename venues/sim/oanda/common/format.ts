import { RoundingMode } from '../../../../domain/values/index.ts';
import type { FixedPoint } from '../../../../domain/values/index.ts';
import { FixedDecimal } from '../../../../domain/values/index.ts';

/** OANDA writes account amounts with four decimals. */
export function money(value: FixedPoint): string {
  return FixedDecimal.from(value).toFixed(4, RoundingMode.HALF_EVEN);
}

/** RFC3339 with nanoseconds, as OANDA writes times (Accept-Datetime-Format: RFC3339). */
export function rfc3339(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, -1)}000000Z`;
}

/** Number of decimals written in a decimal string, or undefined when it is not one. */
export function decimalsOf(text: string): number | undefined {
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) return undefined;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Decimals that carry a non-zero digit ("1.10000" → 1), or undefined when not a decimal. */
export function significantDecimals(text: string): number | undefined {
  const d = decimalsOf(text);
  if (d === undefined || d === 0) return d;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? 0 : trimmed.length - trimmed.indexOf('.') - 1;
}
