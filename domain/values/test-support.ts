/**
 * Arbitraries and the decimal.js reference shared by the value tests. Test-only: imports dev
 * dependencies and is never imported by production code.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { MAX_PRECISION } from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';
import { RoundingMode } from './rounding-mode.ts';

/**
 * Reference arithmetic. 200 significant digits hold every exact sum and product of the operands
 * generated here, and leave enough digits after the rounding position that truncating a quotient
 * cannot change a rounding decision (a rational with a denominator below 10^40 has no run of more
 * than 40 zeros or nines before its expansion ends).
 */
export const Ref = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_DOWN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Ref = InstanceType<typeof Ref>;

export const REF_MODE: Readonly<Record<RoundingMode, Decimal.Rounding>> = {
  [RoundingMode.FLOOR]: Decimal.ROUND_FLOOR,
  [RoundingMode.CEIL]: Decimal.ROUND_CEIL,
  [RoundingMode.HALF_EVEN]: Decimal.ROUND_HALF_EVEN,
  [RoundingMode.HALF_UP]: Decimal.ROUND_HALF_UP,
  [RoundingMode.DOWN]: Decimal.ROUND_DOWN,
};

export const ALL_MODES: readonly RoundingMode[] = Object.values(RoundingMode);
export const modeArb = fc.constantFrom(...ALL_MODES);

/** The exact value of a fixed-point value, for the reference. */
export function ref(value: FixedPoint): Ref {
  return new Ref(value.raw.toString()).div(new Ref(10).pow(value.precision));
}

/** The canonical text of raw × 10^-precision, formatted by decimal.js (independent of our formatter). */
export function refText(raw: bigint, precision: number): string {
  return new Ref(raw.toString()).div(new Ref(10).pow(precision)).toFixed(precision);
}

export interface RawArbOptions {
  /** Largest magnitude of the raw integer, as a number of digits. */
  readonly maxDigits?: number;
  readonly maxPrecision?: number;
  readonly signed?: boolean;
  readonly nonZero?: boolean;
}

/** A raw integer and precision, mixing small values, boundary-ish values and long ones. */
export function fixedArb(options: RawArbOptions = {}): fc.Arbitrary<{ raw: bigint; precision: number }> {
  const maxDigits = options.maxDigits ?? 30;
  const limit = 10n ** BigInt(maxDigits) - 1n;
  const min = options.signed === false ? 0n : -limit;
  const small = options.signed === false ? 0n : -1000n;
  const raw = fc
    .oneof(fc.bigInt({ min: small, max: 1000n }), fc.bigInt({ min, max: limit }))
    .filter((r) => options.nonZero !== true || r !== 0n);
  const precision = fc.integer({ min: 0, max: options.maxPrecision ?? MAX_PRECISION });
  return fc.record({ raw, precision });
}

/** Canonical decimal text: no redundant leading zeros, no "-0", the decimals it is written with. */
export function canonicalDecimalArb(options: RawArbOptions = {}): fc.Arbitrary<string> {
  return fixedArb(options).map(({ raw, precision }) => refText(raw, precision));
}

/** decimal.js's toFixed without its negative zero ("-0.00"), which fixed-point values cannot hold. */
export function refFixed(value: Ref, precision: number, mode?: RoundingMode): string {
  const text = mode === undefined ? value.toFixed(precision) : value.toFixed(precision, REF_MODE[mode]);
  return /^-0(\.0*)?$/u.test(text) ? text.slice(1) : text;
}
