import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { isCurrencyCode } from './currency-code.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { Money } from './money.ts';
import { Price } from './price.ts';
import { Quantity } from './quantity.ts';
import { RoundingMode } from './rounding-mode.ts';
import { fixedArb, modeArb, ref, refFixed } from './test-support.ts';

const usdArb = fixedArb({ maxDigits: 20 }).map(({ raw, precision }) => Money.fromRaw(raw, precision, 'USD'));

function expectInvalid(action: () => unknown, field: string, message: RegExp): void {
  try {
    action();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect((error as InvalidArgumentError).message).toMatch(message);
  }
}

describe('Money', () => {
  it('parses an amount in a currency', () => {
    const m = Money.parse('-12.50', 'USD');
    expect(m.toString()).toBe('-12.50');
    expect(m.currency).toBe('USD');
    expect(m.precision).toBe(2);
    expect(m.toDisplayString()).toBe('-12.50 USD');
    expect(JSON.stringify(m)).toBe('{"amount":"-12.50","currency":"USD"}');
    expect(m.isNegative()).toBe(true);
    expect(m.neg().toString()).toBe('12.50');
    expect(m.abs().toString()).toBe('12.50');
    expect(Money.zero('BTC', 8).toDisplayString()).toBe('0.00000000 BTC');
  });

  it('names its fields in errors', () => {
    expectInvalid(
      () => Money.parse('1,000.00', 'USD'),
      'amount',
      /^amount: "1,000.00" .*thousand separators/,
    );
    expectInvalid(() => Money.parse('1x', 'USD', 'balance.free'), 'balance.free', /unexpected character/);
    expectInvalid(() => Money.parse('1', 'usd'), 'currency', /"usd" is not a currency code/);
  });

  it.each([
    ['USD', true],
    ['USDT', true],
    ['1INCH', true],
    ['BTC', true],
    ['U', false],
    ['ABCDEFGHIJK', false],
    ['usd', false],
    ['US D', false],
    ['BTC-USD', false],
    ['', false],
  ])('currency code %j valid: %s', (code, valid) => {
    expect(isCurrencyCode(code)).toBe(valid);
  });

  it('adds, subtracts and compares exactly within one currency', () => {
    fc.assert(
      fc.property(usdArb, usdArb, (a, b) => {
        const p = Math.max(a.precision, b.precision);
        const sum = a.add(b);
        expect(sum.currency).toBe('USD');
        expect(sum.toString()).toBe(refFixed(ref(a).plus(ref(b)), p));
        expect(a.sub(b).toString()).toBe(refFixed(ref(a).minus(ref(b)), p));
        expect(a.cmp(b)).toBe(ref(a).cmp(ref(b)));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses to mix currencies', () => {
    const usd = Money.parse('1.00', 'USD');
    const eur = Money.parse('1.00', 'EUR');
    expectInvalid(() => usd.add(eur), 'currency', /cannot add USD and EUR/);
    expectInvalid(() => usd.sub(eur), 'currency', /cannot subtract USD and EUR/);
    expectInvalid(() => usd.cmp(eur), 'currency', /cannot compare USD and EUR/);
    expectInvalid(() => usd.roundTo(Money.parse('0.05', 'EUR'), RoundingMode.HALF_EVEN), 'currency', /round/);
  });

  it('keeps its currency through scaling, division and rounding', () => {
    fc.assert(
      fc.property(usdArb, fc.integer({ min: 0, max: 18 }), modeArb, (m, p, mode) => {
        const rate = FixedDecimal.parse('0.00075');
        const fee = m.mulDecimal(rate, p, mode);
        expect(fee.currency).toBe('USD');
        expect(fee.toString()).toBe(refFixed(ref(m).times(ref(rate)), p, mode));
        const third = m.div(FixedDecimal.parse('3'), p, mode);
        expect(third.currency).toBe('USD');
        expect(third.toString()).toBe(refFixed(ref(m).div(3), p, mode));
      }),
      { numRuns: 1000 },
    );
    expect(
      Money.parse('10.07', 'USD').roundTo(Money.parse('0.05', 'USD'), RoundingMode.HALF_UP).toString(),
    ).toBe('10.05');
  });

  it('is the notional of a price and a quantity', () => {
    const notional = Price.parse('29123.45000000').notional(Quantity.parse('0.00150000'), 'USDT');
    expect(notional.toDisplayString()).toBe('43.6851750000000000 USDT');
    expect(notional.withPrecision(2, RoundingMode.HALF_EVEN).toString()).toBe('43.69');
  });
});
