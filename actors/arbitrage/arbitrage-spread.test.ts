import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { bestOpportunity, netEdge } from './arbitrage-spread.ts';
import type { VenueQuote } from './arbitrage-spread.ts';

function venue(name: string, bid: string, ask: string, fee: string, size = '1', step = '0.0001'): VenueQuote {
  return {
    venue: name,
    instrumentId: `BTC-USD.${name.toUpperCase()}`,
    bid: { price: Price.parse(bid), quantity: Quantity.parse(size) },
    ask: { price: Price.parse(ask), quantity: Quantity.parse(size) },
    takerFee: FixedDecimal.parse(fee),
    step: Quantity.parse(step),
  };
}
const limits = { maxQuantity: Quantity.parse('0.5'), minNetBps: 0 };

describe('netEdge', () => {
  it('subtracts both taker fees from the gross spread, exactly', () => {
    const edge = netEdge(
      Price.parse('30000.00'),
      FixedDecimal.parse('0.001'),
      Price.parse('30100.00'),
      FixedDecimal.parse('0.002'),
    );
    expect(edge.gross.toString()).toBe('100.00');
    // 30 + 60.2
    expect(edge.fees.toString()).toBe('90.20000');
    expect(edge.net.toString()).toBe('9.80000');
  });
});

describe('bestOpportunity', () => {
  it('buys on the cheap venue and sells on the dear one when the spread beats the fees', () => {
    const o = bestOpportunity(
      [venue('a', '29990', '30000', '0.001'), venue('b', '30100', '30110', '0.002')],
      limits,
    );
    expect(o?.buy.venue).toBe('a');
    expect(o?.sell.venue).toBe('b');
    expect(o?.quantity.toString()).toBe('0.5000');
    expect(o?.netPerUnit.toString()).toBe('9.800');
    expect(o?.netTotal.toString()).toBe('4.9000000');
  });

  it('does nothing when fees eat the spread or the edge is below the minimum', () => {
    const quotes = [venue('a', '29990', '30000', '0.001'), venue('b', '30080', '30090', '0.002')];
    expect(bestOpportunity(quotes, limits)).toBeUndefined();
    const thin = [venue('a', '29990', '30000', '0.001'), venue('b', '30100', '30110', '0.002')];
    // net 9.8 on 30000 ≈ 3.27 bp
    expect(bestOpportunity(thin, { ...limits, minNetBps: 3 })).toBeDefined();
    expect(bestOpportunity(thin, { ...limits, minNetBps: 4 })).toBeUndefined();
  });

  it('sizes by the thinner side and the coarser step, and picks the best pair', () => {
    const o = bestOpportunity(
      [
        venue('a', '29990', '30000', '0', '0.123456789', '0.00000001'),
        venue('b', '30050', '30060', '0', '0.2', '0.001'),
        venue('c', '30020', '30030', '0', '5', '0.0001'),
      ],
      limits,
    );
    expect(o?.buy.venue).toBe('a');
    expect(o?.sell.venue).toBe('b');
    expect(o?.quantity.toString()).toBe('0.123');
  });

  it("takes no opportunity whose leg is worth less than that leg's venue minimum order value", () => {
    // Buying 0.0003 at 30,000 is 9 USD: the selling venue's 10 USD minimum would refuse that leg
    // while the buy trades (the demo's paper/Binance.US pair did just that).
    const minimum = (quote: VenueQuote, value: string): VenueQuote => ({
      ...quote,
      minNotional: FixedDecimal.parse(value),
    });
    const cheap = venue('paper', '29990', '30000', '0', '0.0003');
    const dear = minimum(venue('binanceus', '30200', '30210', '0', '1', '0.000001'), '10');
    expect(bestOpportunity([cheap, dear], limits)).toBeUndefined();
    // The buying venue's minimum counts too; exactly the minimum is enough (0.0004 × 30,000 = 12).
    expect(
      bestOpportunity([minimum(cheap, '9.01'), venue('b', '30200', '30210', '0')], limits),
    ).toBeUndefined();
    expect(
      bestOpportunity([minimum(cheap, '9'), venue('b', '30200', '30210', '0')], limits)?.quantity.toString(),
    ).toBe('0.0003');
    const deeper = venue('paper', '29990', '30000', '0', '0.0004');
    expect(bestOpportunity([deeper, dear], limits)?.quantity.toString()).toBe('0.0004');
    // A pair worth more in all (0.0003 × 10,200 = 3.06) but below the minimum does not hide a
    // smaller one above it (0.01 × 5 = 0.05).
    const bargain = venue('paper', '19990', '20000', '0', '0.0003');
    const c = minimum(venue('c', '30190', '30195', '0', '0.01'), '10');
    const o = bestOpportunity([bargain, dear, c], limits);
    expect(o?.buy.venue).toBe('c');
    expect(o?.sell.venue).toBe('binanceus');
    expect(o?.netTotal.toString()).toBe('0.0500');
  });

  it('skips one-sided books and refuses bad limits, naming the field', () => {
    const { ask, ...rest } = venue('a', '1', '2', '0');
    expect(ask).toBeDefined();
    const oneSided: VenueQuote = rest;
    expect(bestOpportunity([oneSided, venue('b', '3', '4', '0')], limits)).toBeUndefined();
    expect(() => bestOpportunity([], { ...limits, minNetBps: -1 })).toThrow(/minNetBps/);
    expect(() => bestOpportunity([], { ...limits, maxQuantity: Quantity.parse('0') })).toThrow(/maxQuantity/);
  });
});
