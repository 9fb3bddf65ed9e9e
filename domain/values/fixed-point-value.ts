import { InternalError, InvalidArgumentError } from '../errors.ts';
import {
  addRaw,
  assertPrecision,
  assertRoundingMode,
  compareFixed,
  divideRaw,
  divideRounded,
  formatFixed,
  pow10,
  productPrecision,
  rescale,
} from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';
import { RoundingMode } from './rounding-mode.ts';

/**
 * Behaviour shared by FixedDecimal, Price, Quantity and Money. Instances are immutable: every
 * operation returns a new value built through `create`, where a subtype enforces its invariants
 * (Quantity: never negative). Fields are `readonly` rather than frozen: Object.freeze roughly doubled
 * the cost of parse in bench/decimal.bench.ts.
 */
export abstract class FixedPointValue<T extends FixedPointValue<T>> implements FixedPoint {
  /** The value × 10^precision, e.g. 150n for 1.50. */
  readonly raw: bigint;
  /** Number of decimal places, 0..MAX_PRECISION. */
  readonly precision: number;

  protected constructor(raw: bigint, precision: number) {
    this.raw = raw;
    this.precision = precision;
  }

  /** A value of the concrete type; subtypes check their invariants here. */
  protected abstract create(raw: bigint, precision: number): T;

  /** Throws if `other` cannot be combined with this value (Money: another currency). */
  protected checkCompatible(_other: T, _operation: string): void {
    // Values of one type are always compatible unless a subtype says otherwise.
  }

  /** Exact sum at precision max(this.precision, o.precision). */
  add(o: T): T {
    this.checkCompatible(o, 'add');
    return this.create(addRaw(this, o, false), Math.max(this.precision, o.precision));
  }

  /** Exact difference at precision max(this.precision, o.precision). */
  sub(o: T): T {
    this.checkCompatible(o, 'subtract');
    return this.create(addRaw(this, o, true), Math.max(this.precision, o.precision));
  }

  /**
   * This × factor; exact at precision this.precision + factor.precision when no precision is given
   * (which must not exceed MAX_PRECISION), else rounded once to `precision` with `mode`.
   */
  mulDecimal(factor: FixedPoint): T;
  mulDecimal(factor: FixedPoint, precision: number, mode: RoundingMode): T;
  mulDecimal(factor: FixedPoint, precision?: number, mode?: RoundingMode): T {
    const raw = this.raw * factor.raw;
    if (precision === undefined) return this.create(raw, productPrecision(this, factor, 'precision'));
    assertPrecision(precision, 'precision');
    if (mode === undefined) {
      throw new InvalidArgumentError('mode', 'a rounding mode is required with a result precision');
    }
    assertRoundingMode(mode);
    return this.create(rescale(raw, this.precision + factor.precision, precision, mode), precision);
  }

  /** This ÷ divisor at `precision` decimals, rounded once with `mode`; a zero divisor is rejected. */
  div(divisor: FixedPoint, precision: number, mode: RoundingMode): T {
    assertPrecision(precision, 'precision');
    return this.create(divideRaw(this, divisor, precision, mode), precision);
  }

  /** The nearest multiple of `increment` (a tick or step size, > 0) in the direction `mode` says. */
  roundTo(increment: T, mode: RoundingMode): T {
    this.checkCompatible(increment, 'round');
    if (increment.raw <= 0n) {
      throw new InvalidArgumentError('increment', `must be greater than zero, got ${increment.toString()}`);
    }
    assertRoundingMode(mode);
    const precision = Math.max(this.precision, increment.precision);
    const x = this.raw * pow10(precision - this.precision);
    const step = increment.raw * pow10(precision - increment.precision);
    // A multiple of the increment is exactly representable at the increment's own precision.
    return this.create(divideRounded(x, step, mode) * increment.raw, increment.precision);
  }

  /** The same value at `precision` decimals: exact when adding decimals, rounded with `mode` otherwise. */
  withPrecision(precision: number, mode: RoundingMode): T {
    assertPrecision(precision, 'precision');
    assertRoundingMode(mode);
    return this.create(rescale(this.raw, this.precision, precision, mode), precision);
  }

  /** Numeric comparison; 1.5 and 1.50 compare equal. */
  cmp(o: T): -1 | 0 | 1 {
    this.checkCompatible(o, 'compare');
    return compareFixed(this, o);
  }

  eq(o: T): boolean {
    return this.cmp(o) === 0;
  }

  lt(o: T): boolean {
    return this.cmp(o) < 0;
  }

  lte(o: T): boolean {
    return this.cmp(o) <= 0;
  }

  gt(o: T): boolean {
    return this.cmp(o) > 0;
  }

  gte(o: T): boolean {
    return this.cmp(o) >= 0;
  }

  min(o: T): T {
    return this.cmp(o) <= 0 ? this.create(this.raw, this.precision) : o;
  }

  max(o: T): T {
    return this.cmp(o) >= 0 ? this.create(this.raw, this.precision) : o;
  }

  isZero(): boolean {
    return this.raw === 0n;
  }

  isPositive(): boolean {
    return this.raw > 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.raw < 0n ? -1 : this.raw > 0n ? 1 : 0;
  }

  /** Exactly `precision` decimals: "0.00001000", "-1.50", "42". */
  toString(): string {
    return formatFixed(this.raw, this.precision);
  }

  /** Text with exactly `precision` decimals, rounded with `mode` (default HALF_EVEN) when dropping decimals. */
  toFixed(precision: number, mode: RoundingMode = RoundingMode.HALF_EVEN): string {
    assertPrecision(precision, 'precision');
    assertRoundingMode(mode);
    return formatFixed(rescale(this.raw, this.precision, precision, mode), precision);
  }

  /**
   * Allows `${value}` and String(value) but refuses numeric coercion: without this, `a < b` would
   * silently compare the strings ("10.00" < "9.00").
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new InternalError(
      `${this.constructor.name} cannot be converted to a number; use cmp()/lt()/gt() or toString()`,
    );
  }
}
