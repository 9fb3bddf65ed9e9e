/**
 * The fixed-point core shared by every value type: a value is an integer `raw` scaled by
 * 10^-precision, so 1.50 is `{ raw: 150n, precision: 2 }`. Only bigint arithmetic is used on values;
 * `number` appears solely as the precision (a small integer). These helpers are internal to
 * domain/values; callers use the value types.
 */
import { InvalidArgumentError, OutOfRangeError } from '../errors.ts';
import { RoundingMode, isRoundingMode } from './rounding-mode.ts';

/** The most decimal places a value may carry (exchanges use at most 18, e.g. wei-denominated assets). */
export const MAX_PRECISION = 18;

/** Anything carrying a raw fixed-point integer and its precision (every value type in this folder). */
export interface FixedPoint {
  readonly raw: bigint;
  readonly precision: number;
}

// Exact products carry up to 2 × MAX_PRECISION decimals and divisions scale by up to that much again.
const POW10_TABLE_SIZE = 4 * MAX_PRECISION + 1;
const POW10: readonly bigint[] = Array.from({ length: POW10_TABLE_SIZE }, (_, i) => 10n ** BigInt(i));

/** 10^exponent as a bigint, for exponent ≥ 0. */
export function pow10(exponent: number): bigint {
  return POW10[exponent] ?? 10n ** BigInt(exponent);
}

/** Throws unless `precision` is an integer in 0..MAX_PRECISION. */
export function assertPrecision(precision: number, field: string): void {
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_PRECISION) {
    throw new InvalidArgumentError(
      field,
      `precision must be an integer from 0 to ${MAX_PRECISION} (the maximum), got ${String(precision)}`,
    );
  }
}

export function assertRaw(raw: bigint, field: string): void {
  // Guards JavaScript callers and JSON-fed code from passing a number, whose fraction would be lost.
  if (typeof raw !== 'bigint') {
    throw new InvalidArgumentError(field, `raw value must be a bigint, got ${typeof raw}`);
  }
}

export function assertRoundingMode(mode: RoundingMode): void {
  if (!isRoundingMode(mode)) {
    throw new InvalidArgumentError(
      'mode',
      `unknown rounding mode ${JSON.stringify(String(mode))}; expected one of ${Object.keys(RoundingMode).join(', ')}`,
    );
  }
}

/** n / d rounded to an integer with `mode`; exact (one division, so no double rounding). */
export function divideRounded(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new InvalidArgumentError('divisor', 'division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // bigint division truncates toward zero
  const r = n % d; // and the remainder takes the sign of n
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  switch (mode) {
    case RoundingMode.DOWN:
      return q;
    case RoundingMode.FLOOR:
      return n < 0n ? away : q;
    case RoundingMode.CEIL:
      return n > 0n ? away : q;
    case RoundingMode.HALF_UP:
    case RoundingMode.HALF_EVEN: {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === RoundingMode.HALF_UP) return away;
      return (q & 1n) === 0n ? q : away;
    }
    default:
      assertRoundingMode(mode);
      return q;
  }
}

/** `raw` re-expressed at `to` decimals; exact when `to ≥ from`, otherwise rounded with `mode`. */
export function rescale(raw: bigint, from: number, to: number, mode: RoundingMode): bigint {
  if (to === from) return raw;
  if (to > from) return raw * pow10(to - from);
  return divideRounded(raw, pow10(from - to), mode);
}

/** Numeric comparison of two fixed-point values of any precisions. */
export function compareFixed(a: FixedPoint, b: FixedPoint): -1 | 0 | 1 {
  let x = a.raw;
  let y = b.raw;
  if (a.precision < b.precision) x *= pow10(b.precision - a.precision);
  else if (a.precision > b.precision) y *= pow10(a.precision - b.precision);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Raw value of a + sign·b at precision max(a.precision, b.precision); exact. */
export function addRaw(a: FixedPoint, b: FixedPoint, negateB: boolean): bigint {
  const pa = a.precision;
  const pb = b.precision;
  const x = pa >= pb ? a.raw : a.raw * pow10(pb - pa);
  const y = pb >= pa ? b.raw : b.raw * pow10(pa - pb);
  return negateB ? x - y : x + y;
}

/** Raw value of a ÷ b at `precision` decimals, rounded once with `mode`. */
export function divideRaw(a: FixedPoint, b: FixedPoint, precision: number, mode: RoundingMode): bigint {
  assertRoundingMode(mode);
  if (b.raw === 0n) throw new InvalidArgumentError('divisor', 'division by zero');
  // a/10^pa ÷ b/10^pb = (a · 10^(pb + precision - pa) / b) / 10^precision
  const shift = b.precision + precision - a.precision;
  return shift >= 0
    ? divideRounded(a.raw * pow10(shift), b.raw, mode)
    : divideRounded(a.raw, b.raw * pow10(-shift), mode);
}

/** Precision of an exact product, which must fit MAX_PRECISION. */
export function productPrecision(a: FixedPoint, b: FixedPoint, field: string): number {
  const precision = a.precision + b.precision;
  if (precision > MAX_PRECISION) {
    throw new OutOfRangeError(
      field,
      `the exact product needs ${precision} decimal places, more than the maximum ${MAX_PRECISION}; ` +
        'pass a result precision and rounding mode',
    );
  }
  return precision;
}

/** Canonical text of a fixed-point value: exactly `precision` decimals, "-" for negatives, no exponent. */
export function formatFixed(raw: bigint, precision: number): string {
  if (precision === 0) return raw.toString();
  const negative = raw < 0n;
  let digits = (negative ? -raw : raw).toString();
  if (digits.length <= precision) digits = '0'.repeat(precision - digits.length + 1) + digits;
  const cut = digits.length - precision;
  const text = digits.slice(0, cut) + '.' + digits.slice(cut);
  return negative ? '-' + text : text;
}
