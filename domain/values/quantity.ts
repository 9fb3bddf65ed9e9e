import { OutOfRangeError } from '../errors.ts';
import { parseDecimal } from './decimal-parser.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { assertPrecision, assertRaw, formatFixed, productPrecision } from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';
import { FixedPointValue } from './fixed-point-value.ts';

/** An amount of an instrument (order size, fill size, position size). Never negative. */
export class Quantity extends FixedPointValue<Quantity> {
  private constructor(raw: bigint, precision: number) {
    super(raw, precision);
  }

  /** Parses strict exchange decimal text; a negative value throws OutOfRangeError naming `field`. */
  static parse(text: string, field = 'quantity'): Quantity {
    const { raw, precision } = parseDecimal(text, field);
    if (raw < 0n) throw negative(field, text);
    return new Quantity(raw, precision);
  }

  static fromRaw(raw: bigint, precision: number): Quantity {
    assertRaw(raw, 'raw');
    assertPrecision(precision, 'precision');
    if (raw < 0n) throw negative('quantity', formatFixed(raw, precision));
    return new Quantity(raw, precision);
  }

  /** The same number as any non-negative fixed-point value. */
  static from(value: FixedPoint): Quantity {
    return Quantity.fromRaw(value.raw, value.precision);
  }

  static zero(precision = 0): Quantity {
    return Quantity.fromRaw(0n, precision);
  }

  // Every derived value passes through here, so no operation can produce a negative quantity.
  protected override create(raw: bigint, precision: number): Quantity {
    if (raw < 0n) throw negative('quantity', formatFixed(raw, precision));
    return new Quantity(raw, precision);
  }

  /** Exact difference; throws OutOfRangeError if `o` is greater than this. */
  override sub(o: Quantity): Quantity {
    if (this.lt(o)) {
      throw new OutOfRangeError(
        'quantity',
        `${this.toString()} - ${o.toString()} would be negative; a quantity cannot go below zero`,
      );
    }
    return super.sub(o);
  }

  /** Exact notional quantity × price at precision quantity.precision + price.precision. */
  mul(price: FixedPoint): FixedDecimal {
    return FixedDecimal.fromRaw(this.raw * price.raw, productPrecision(this, price, 'precision'));
  }

  toJSON(): string {
    return this.toString();
  }
}

function negative(field: string, shown: string): OutOfRangeError {
  return new OutOfRangeError(field, `${shown} is negative; a quantity cannot be below zero`);
}
