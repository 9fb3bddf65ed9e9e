import { parseDecimal } from './decimal-parser.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { assertPrecision, assertRaw, productPrecision } from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';
import { FixedPointValue } from './fixed-point-value.ts';
import { Money } from './money.ts';
import type { Quantity } from './quantity.ts';

/** A signed price (some markets, e.g. spreads and energy futures, trade at negative prices). */
export class Price extends FixedPointValue<Price> {
  private constructor(raw: bigint, precision: number) {
    super(raw, precision);
  }

  /** Parses strict exchange decimal text; precision is the number of decimals written. */
  static parse(text: string, field = 'price'): Price {
    const { raw, precision } = parseDecimal(text, field);
    return new Price(raw, precision);
  }

  static fromRaw(raw: bigint, precision: number): Price {
    assertRaw(raw, 'raw');
    assertPrecision(precision, 'precision');
    return new Price(raw, precision);
  }

  /** The same number as any fixed-point value, e.g. a FixedDecimal average price. */
  static from(value: FixedPoint): Price {
    return Price.fromRaw(value.raw, value.precision);
  }

  static zero(precision = 0): Price {
    return Price.fromRaw(0n, precision);
  }

  protected override create(raw: bigint, precision: number): Price {
    return new Price(raw, precision);
  }

  /** Exact notional price × quantity at precision price.precision + quantity.precision (≤ MAX_PRECISION). */
  mul(quantity: Quantity): FixedDecimal {
    return FixedDecimal.fromRaw(this.raw * quantity.raw, productPrecision(this, quantity, 'precision'));
  }

  /** Exact notional price × quantity as Money in `currency` (the instrument's quote currency). */
  notional(quantity: Quantity, currency: string): Money {
    return Money.fromRaw(this.raw * quantity.raw, productPrecision(this, quantity, 'precision'), currency);
  }

  isNegative(): boolean {
    return this.raw < 0n;
  }

  neg(): Price {
    return new Price(-this.raw, this.precision);
  }

  abs(): Price {
    return this.raw < 0n ? this.neg() : this;
  }

  toJSON(): string {
    return this.toString();
  }
}
