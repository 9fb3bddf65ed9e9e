import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutOfRangeError } from '../errors.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { Price } from './price.ts';
import { RoundingMode } from './rounding-mode.ts';
import { fixedArb, ref, refFixed } from './test-support.ts';

const decimalArb = fixedArb({ maxDigits: 18, maxPrecision: 9 }).map(({ raw, precision }) =>
  FixedDecimal.fromRaw(raw, precision),
);

describe('FixedDecimal', () => {
  it('multiplies exactly at the sum of the precisions', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        const product = a.mul(b);
        expect(product.precision).toBe(a.precision + b.precision);
        expect(product.toString()).toBe(refFixed(ref(a).times(ref(b)), a.precision + b.precision));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an exact product beyond 18 decimals', () => {
    const a = FixedDecimal.parse('0.0000000001');
    expect(() => a.mul(a)).toThrow(OutOfRangeError);
  });

  it('converts from any fixed-point value and back', () => {
    const price = Price.parse('-1.10235');
    const d = FixedDecimal.from(price);
    expect(d.toString()).toBe('-1.10235');
    expect(Price.from(d).eq(price)).toBe(true);
    expect(d.neg().abs().toString()).toBe('1.10235');
  });

  it('averages fills exactly: notional ÷ quantity to an explicit precision', () => {
    const notional = FixedDecimal.parse('100.00').add(FixedDecimal.parse('200.00'));
    expect(notional.div(FixedDecimal.parse('7'), 8, RoundingMode.HALF_EVEN).toString()).toBe('42.85714286');
    expect(notional.div(FixedDecimal.parse('7'), 8, RoundingMode.DOWN).toString()).toBe('42.85714285');
  });

  it('has min, max and sign', () => {
    const a = FixedDecimal.parse('-1');
    const b = FixedDecimal.parse('2.0');
    expect(a.min(b).toString()).toBe('-1');
    expect(a.max(b).toString()).toBe('2.0');
    expect(a.sign()).toBe(-1);
    expect(FixedDecimal.zero(3).sign()).toBe(0);
  });
});
