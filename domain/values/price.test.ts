import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternalError, InvalidArgumentError, OutOfRangeError } from '../errors.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { Price } from './price.ts';
import { Quantity } from './quantity.ts';
import { RoundingMode } from './rounding-mode.ts';
import { canonicalDecimalArb, fixedArb, modeArb, Ref, ref, REF_MODE, refFixed } from './test-support.ts';

const priceArb = fixedArb({ maxDigits: 24 }).map(({ raw, precision }) => Price.fromRaw(raw, precision));
const smallPriceArb = fixedArb({ maxDigits: 14, maxPrecision: 9 }).map(({ raw, precision }) =>
  Price.fromRaw(raw, precision),
);
const positivePriceArb = fixedArb({ maxDigits: 10, signed: false, nonZero: true }).map(({ raw, precision }) =>
  Price.fromRaw(raw, precision),
);

describe('Price', () => {
  it.each(['0.00001000', '29000.01000000', '1.10235', '0.01', '-37.63', '29123.45000000', '0'])(
    'round-trips the exchange string %s',
    (text) => {
      expect(Price.parse(text).toString()).toBe(text);
    },
  );

  it('round-trips any canonical decimal', () => {
    fc.assert(
      fc.property(canonicalDecimalArb(), (text) => {
        expect(Price.parse(text).toString()).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the default and the given field in parse errors', () => {
    expect(() => Price.parse('1e-8')).toThrow(/^price: "1e-8" is not a valid decimal: exponent notation/);
    try {
      Price.parse('abc', 'order.limitPrice');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe('order.limitPrice');
    }
  });

  it('rejects a precision above 18 in fromRaw', () => {
    expect(() => Price.fromRaw(1n, 19)).toThrow(/^precision: .*0 to 18/);
    expect(() => Price.fromRaw(1 as unknown as bigint, 2)).toThrow(/raw value must be a bigint/);
  });

  it('adds and subtracts exactly at the larger precision', () => {
    fc.assert(
      fc.property(priceArb, priceArb, (a, b) => {
        const p = Math.max(a.precision, b.precision);
        expect(a.add(b).precision).toBe(p);
        expect(a.add(b).toString()).toBe(refFixed(ref(a).plus(ref(b)), p));
        expect(a.sub(b).toString()).toBe(refFixed(ref(a).minus(ref(b)), p));
      }),
      { numRuns: 2000 },
    );
  });

  it('compares numerically', () => {
    fc.assert(
      fc.property(priceArb, priceArb, (a, b) => {
        const expected = ref(a).cmp(ref(b));
        expect(a.cmp(b)).toBe(expected);
        expect(a.eq(b)).toBe(expected === 0);
        expect(a.lt(b)).toBe(expected < 0);
        expect(a.lte(b)).toBe(expected <= 0);
        expect(a.gt(b)).toBe(expected > 0);
        expect(a.gte(b)).toBe(expected >= 0);
      }),
    );
    expect(Price.parse('1.5').eq(Price.parse('1.50000'))).toBe(true);
  });

  it('multiplies by a quantity exactly, at the sum of the precisions', () => {
    const qtyArb = fixedArb({ maxDigits: 20, maxPrecision: 9, signed: false }).map(({ raw, precision }) =>
      Quantity.fromRaw(raw, precision),
    );
    fc.assert(
      fc.property(smallPriceArb, qtyArb, (price, qty) => {
        const p = price.precision + qty.precision;
        const notional = price.mul(qty);
        expect(notional).toBeInstanceOf(FixedDecimal);
        expect(notional.precision).toBe(p);
        expect(notional.toString()).toBe(refFixed(ref(price).times(ref(qty)), p));
        expect(qty.mul(price).eq(notional)).toBe(true);
        expect(price.notional(qty, 'USDT').toString()).toBe(notional.toString());
      }),
      { numRuns: 1000 },
    );
    expect(Price.parse('29123.45000000').mul(Quantity.parse('0.00150000')).toString()).toBe(
      '43.6851750000000000',
    );
  });

  it('refuses an exact product that needs more than 18 decimals, and rounds one on request', () => {
    const price = Price.parse('1.0000000001');
    const qty = Quantity.parse('3.0000000001');
    expect(() => price.mul(qty)).toThrow(OutOfRangeError);
    expect(() => price.mul(qty)).toThrow(/20 decimal places, more than the maximum 18/);
    const factor = FixedDecimal.from(qty);
    expect(price.mulDecimal(factor, 8, RoundingMode.HALF_EVEN).toString()).toBe('3.00000000');
    expect(() => price.mulDecimal(factor)).toThrow(OutOfRangeError);
  });

  it('scales by a factor: exactly, or rounded once', () => {
    fc.assert(
      fc.property(smallPriceArb, smallPriceArb, fc.integer({ min: 0, max: 18 }), modeArb, (a, f, p, mode) => {
        const factor = FixedDecimal.from(f);
        expect(a.mulDecimal(factor).toString()).toBe(
          refFixed(ref(a).times(ref(f)), a.precision + f.precision),
        );
        expect(a.mulDecimal(factor, p, mode).toString()).toBe(refFixed(ref(a).times(ref(f)), p, mode));
      }),
      { numRuns: 1000 },
    );
  });

  it('divides to an explicit precision with each rounding mode', () => {
    fc.assert(
      fc.property(
        priceArb,
        priceArb.filter((d) => !d.isZero()),
        fc.integer({ min: 0, max: 18 }),
        modeArb,
        (a, d, p, mode) => {
          const q = a.div(d, p, mode);
          expect(q.precision).toBe(p);
          expect(q.toString()).toBe(refFixed(ref(a).div(ref(d)), p, mode));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rejects division by zero', () => {
    expect(() => Price.parse('1').div(Price.zero(2), 2, RoundingMode.DOWN)).toThrow(InvalidArgumentError);
    expect(() => Price.parse('1').div(Price.zero(2), 2, RoundingMode.DOWN)).toThrow(
      /^divisor: division by zero/,
    );
  });

  it('changes precision and formats with each rounding mode like decimal.js', () => {
    fc.assert(
      fc.property(priceArb, fc.integer({ min: 0, max: 18 }), modeArb, (a, p, mode) => {
        const expected = refFixed(ref(a), p, mode);
        expect(a.withPrecision(p, mode).toString()).toBe(expected);
        expect(a.toFixed(p, mode)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(Price.parse('1.25').toFixed(1)).toBe('1.2');
    expect(Price.parse('-1.25').withPrecision(1, RoundingMode.FLOOR).toString()).toBe('-1.3');
    expect(() => Price.parse('1').toFixed(19)).toThrow(/precision: .*maximum/);
  });

  it('rounds to a multiple of the increment, within one increment, in the mode’s direction', () => {
    fc.assert(
      fc.property(priceArb, positivePriceArb, modeArb, (a, inc, mode) => {
        const r = a.roundTo(inc, mode);
        const x = ref(a);
        const y = ref(r);
        const step = ref(inc);
        expect(r.precision).toBe(inc.precision);
        expect(y.mod(step).isZero()).toBe(true);
        expect(y.minus(x).abs().lt(step)).toBe(true);
        expect(y.eq(x.div(step).toDecimalPlaces(0, REF_MODE[mode]).times(step))).toBe(true);
        switch (mode) {
          case RoundingMode.FLOOR:
            expect(y.lte(x)).toBe(true);
            break;
          case RoundingMode.CEIL:
            expect(y.gte(x)).toBe(true);
            break;
          case RoundingMode.DOWN:
            expect(y.abs().lte(x.abs())).toBe(true);
            break;
          default:
            expect(y.minus(x).abs().times(2).lte(step)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(Price.parse('29123.456').roundTo(Price.parse('0.01'), RoundingMode.HALF_EVEN).toString()).toBe(
      '29123.46',
    );
    expect(Price.parse('1.10237').roundTo(Price.parse('0.00005'), RoundingMode.FLOOR).toString()).toBe(
      '1.10235',
    );
  });

  it('rejects an increment that is not positive', () => {
    expect(() => Price.parse('1').roundTo(Price.parse('0.00'), RoundingMode.FLOOR)).toThrow(
      /^increment: must be greater than zero, got 0.00/,
    );
    expect(() => Price.parse('1').roundTo(Price.parse('-0.01'), RoundingMode.FLOOR)).toThrow(
      InvalidArgumentError,
    );
  });

  it('supports negative prices', () => {
    const p = Price.parse('-37.63');
    expect(p.isNegative()).toBe(true);
    expect(p.neg().toString()).toBe('37.63');
    expect(p.abs().toString()).toBe('37.63');
    expect(p.sign()).toBe(-1);
    expect(Price.zero(2).isZero()).toBe(true);
  });

  it('stringifies but refuses numeric coercion', () => {
    const p = Price.parse('10.00');
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the conversion under test
    expect(`${p}`).toBe('10.00');
    expect(String(p)).toBe('10.00');
    expect(JSON.stringify({ p })).toBe('{"p":"10.00"}');
    expect(() => +(p as unknown as number)).toThrow(InternalError);
    expect(() => (p as unknown as number) < (Price.parse('9') as unknown as number)).toThrow(/use cmp/);
  });

  it('is immutable: operations return new values', () => {
    const a = Price.parse('1.50');
    const b = a.add(Price.parse('1'));
    expect(a.toString()).toBe('1.50');
    expect(b).not.toBe(a);
    expect(new Ref(b.toString()).eq(2.5)).toBe(true);
  });
});
