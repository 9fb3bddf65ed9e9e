import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { computeQuotes, midMoved, midOf, validateQuoteParams } from './market-maker-quotes.ts';
import type { QuoteParams } from './market-maker-quotes.ts';

const params: QuoteParams = {
  halfSpreadBps: 10,
  skewBpsAtLimit: 20,
  quoteSize: Quantity.parse('0.01'),
  maxPosition: Quantity.parse('0.05'),
  tick: Price.parse('0.01'),
  step: Quantity.parse('0.0001'),
};
const top = { bid: Price.parse('29999.00'), ask: Price.parse('30001.00') };
const flat = FixedDecimal.parse('0');

describe('computeQuotes', () => {
  it('quotes symmetrically around the mid when flat, on the tick', () => {
    const q = computeQuotes(top, flat, params);
    expect(q.mid.toString()).toBe('30000.000');
    // 30000 × (1 ∓ 0.001)
    expect(q.bid?.price.toString()).toBe('29970.00');
    expect(q.ask?.price.toString()).toBe('30030.00');
    expect(q.bid?.quantity.toString()).toBe('0.0100');
    expect(q.ask?.side).toBe('SELL');
  });

  it('skews both quotes down when long and up when short', () => {
    const long = computeQuotes(top, FixedDecimal.parse('0.025'), params);
    const short = computeQuotes(top, FixedDecimal.parse('-0.025'), params);
    // Half the limit → 10 bp skew: centre 29970 (long) or 30030 (short).
    expect(long.bid?.price.toString()).toBe('29940.03');
    expect(long.ask?.price.toString()).toBe('29999.97');
    expect(short.bid?.price.toString()).toBe('29999.97');
    expect(short.ask?.price.toString()).toBe('30060.03');
  });

  it('shrinks or drops the side that would pass the position limit', () => {
    const nearLimit = computeQuotes(top, FixedDecimal.parse('0.045'), params);
    expect(nearLimit.bid?.quantity.toString()).toBe('0.0050');
    expect(nearLimit.ask?.quantity.toString()).toBe('0.0100');
    const atLimit = computeQuotes(top, FixedDecimal.parse('0.05'), params);
    expect(atLimit.bid).toBeUndefined();
    expect(atLimit.ask).toBeDefined();
    const beyondShort = computeQuotes(top, FixedDecimal.parse('-0.07'), params);
    expect(beyondShort.ask).toBeUndefined();
    expect(beyondShort.bid?.quantity.toString()).toBe('0.0100');
  });

  it('leaves out a side worth less than the venue minimum once shrunk', () => {
    const withMinimum = { ...params, minNotional: FixedDecimal.parse('200') };
    // Bid shrunk to 0.005 (≈ 149.7 USD < 200): left out; the ask (0.01 ≈ 299.7 USD) stays.
    const nearLimit = computeQuotes(top, FixedDecimal.parse('0.045'), withMinimum);
    expect(nearLimit.bid).toBeUndefined();
    expect(nearLimit.ask?.quantity.toString()).toBe('0.0100');
    // Exactly the minimum is worth quoting.
    const exact = computeQuotes(top, flat, { ...params, minNotional: FixedDecimal.parse('299.70') });
    expect(exact.bid?.quantity.toString()).toBe('0.0100');
  });

  it('clamps the skew at the limit and never crosses its own quotes on a coarse tick', () => {
    const coarse = { ...params, tick: Price.parse('100'), halfSpreadBps: 1 };
    const q = computeQuotes(top, flat, coarse);
    expect(q.bid?.price.lt(q.ask?.price ?? Price.parse('0'))).toBe(true);
    const far = computeQuotes(top, FixedDecimal.parse('-5'), params);
    expect(far.bid?.price.toString()).toBe(
      computeQuotes(top, FixedDecimal.parse('-0.05'), params).bid?.price.toString(),
    );
  });

  it('refuses a crossed book and bad parameters, naming the field', () => {
    expect(() => midOf(Price.parse('2'), Price.parse('1'))).toThrow(/book/);
    expect(() => validateQuoteParams({ ...params, halfSpreadBps: 0 })).toThrow(/halfSpreadBps/);
    expect(() => validateQuoteParams({ ...params, quoteSize: Quantity.parse('0.00001') })).toThrow(
      /quoteSize/,
    );
    expect(() => validateQuoteParams({ ...params, maxPosition: Quantity.parse('0') })).toThrow(/maxPosition/);
    expect(() => validateQuoteParams(params)).not.toThrow();
  });
});

describe('midMoved', () => {
  it('is true only beyond the threshold', () => {
    const quoted = Price.parse('30000');
    expect(midMoved(quoted, Price.parse('30014.99'), 5)).toBe(false);
    expect(midMoved(quoted, Price.parse('30015'), 5)).toBe(false);
    expect(midMoved(quoted, Price.parse('30015.01'), 5)).toBe(true);
    expect(midMoved(quoted, Price.parse('29984.99'), 5)).toBe(true);
  });
});
