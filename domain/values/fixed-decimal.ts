import { parseDecimal } from './decimal-parser.ts';
import { assertPrecision, assertRaw, productPrecision } from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';
import { FixedPointValue } from './fixed-point-value.ts';

/**
 * A signed fixed-point number without a unit: ratios, fee rates, factors and the exact product of a
 * price and a quantity. Named to avoid confusion with decimal.js's `Decimal`.
 */
export class FixedDecimal extends FixedPointValue<FixedDecimal> {
  private constructor(raw: bigint, precision: number) {
    super(raw, precision);
  }

  /** Parses strict exchange decimal text; precision is the number of decimals written. */
  static parse(text: string, field = 'value'): FixedDecimal {
    const { raw, precision } = parseDecimal(text, field);
    return new FixedDecimal(raw, precision);
  }

  static fromRaw(raw: bigint, precision: number): FixedDecimal {
    assertRaw(raw, 'raw');
    assertPrecision(precision, 'precision');
    return new FixedDecimal(raw, precision);
  }

  /** The same number as any fixed-point value (a Price, Quantity or Money amount). */
  static from(value: FixedPoint): FixedDecimal {
    return FixedDecimal.fromRaw(value.raw, value.precision);
  }

  static zero(precision = 0): FixedDecimal {
    return FixedDecimal.fromRaw(0n, precision);
  }

  protected override create(raw: bigint, precision: number): FixedDecimal {
    return new FixedDecimal(raw, precision);
  }

  /** Exact product at precision this.precision + o.precision (at most MAX_PRECISION). */
  mul(o: FixedPoint): FixedDecimal {
    return new FixedDecimal(this.raw * o.raw, productPrecision(this, o, 'precision'));
  }

  isNegative(): boolean {
    return this.raw < 0n;
  }

  neg(): FixedDecimal {
    return new FixedDecimal(-this.raw, this.precision);
  }

  abs(): FixedDecimal {
    return this.raw < 0n ? this.neg() : this;
  }

  toJSON(): string {
    return this.toString();
  }
}
