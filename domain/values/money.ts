import { InvalidArgumentError } from '../errors.ts';
import { assertCurrencyCode } from './currency-code.ts';
import { parseDecimal } from './decimal-parser.ts';
import { assertPrecision, assertRaw } from './fixed-point.ts';
import { FixedPointValue } from './fixed-point-value.ts';

/** A signed amount in one currency (balances, PnL, fees, notionals). Arithmetic never mixes currencies. */
export class Money extends FixedPointValue<Money> {
  /** Currency or asset code: 2 to 10 characters of A-Z and 0-9, e.g. "USD", "BTC", "USDT". */
  readonly currency: string;

  private constructor(raw: bigint, precision: number, currency: string) {
    super(raw, precision);
    this.currency = currency;
  }

  /** Parses strict exchange decimal text; precision is the number of decimals written. */
  static parse(text: string, currency: string, field = 'amount'): Money {
    assertCurrencyCode(currency);
    const { raw, precision } = parseDecimal(text, field);
    return new Money(raw, precision, currency);
  }

  static fromRaw(raw: bigint, precision: number, currency: string): Money {
    assertRaw(raw, 'raw');
    assertPrecision(precision, 'precision');
    assertCurrencyCode(currency);
    return new Money(raw, precision, currency);
  }

  static zero(currency: string, precision = 0): Money {
    return Money.fromRaw(0n, precision, currency);
  }

  protected override create(raw: bigint, precision: number): Money {
    return new Money(raw, precision, this.currency);
  }

  protected override checkCompatible(other: Money, operation: string): void {
    if (other.currency !== this.currency) {
      throw new InvalidArgumentError(
        'currency',
        `cannot ${operation} ${this.currency} and ${other.currency}; convert one of them first`,
      );
    }
  }

  isNegative(): boolean {
    return this.raw < 0n;
  }

  neg(): Money {
    return new Money(-this.raw, this.precision, this.currency);
  }

  abs(): Money {
    return this.raw < 0n ? this.neg() : this;
  }

  /** The amount and its currency, e.g. "12.50 USD" (toString gives the amount alone). */
  toDisplayString(): string {
    return `${this.toString()} ${this.currency}`;
  }

  toJSON(): { readonly amount: string; readonly currency: string } {
    return { amount: this.toString(), currency: this.currency };
  }
}
