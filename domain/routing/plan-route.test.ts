import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { FixedDecimal, Price, Quantity } from '../values/index.ts';
import { compareFeeAdjusted, feeAdjustedPrice } from './fee-adjusted-price.ts';
import { planRoute } from './plan-route.ts';
import { btcUsdOn, levels, venueInput } from './test-support.ts';

const PAPER = btcUsdOn('paper', 'BTC-USD');
const BINANCE = btcUsdOn('binanceus', 'BTCUSD', { step: '0.00001' });
const COINBASE = btcUsdOn('coinbase', 'BTC-USD', { step: '0.00000001' });

const q = (text: string) => Quantity.parse(text);
const legsOf = (plan: ReturnType<typeof planRoute>) =>
  plan.legs.map((leg) => [leg.instrument.venue, leg.quantity.toString(), leg.limitPrice.toString()]);

describe('feeAdjustedPrice', () => {
  it('folds the taker fee into the price exactly, smaller is better on both sides', () => {
    const buyCheap = feeAdjustedPrice('BUY', Price.parse('100.00'), FixedDecimal.parse('0.006'));
    const buyDear = feeAdjustedPrice('BUY', Price.parse('100.50'), FixedDecimal.parse('0.001'));
    // 100 × 1.006 = 100.6 beats 100.5 × 1.001 = 100.6005.
    expect(compareFeeAdjusted(buyCheap, buyDear)).toBe(-1);
    const sellHigh = feeAdjustedPrice('SELL', Price.parse('100.50'), FixedDecimal.parse('0.006'));
    const sellLow = feeAdjustedPrice('SELL', Price.parse('100.10'), FixedDecimal.parse('0.001'));
    // 100.5 × 0.994 = 99.897 < 100.1 × 0.999 = 99.9999: the lower bid brings more.
    expect(compareFeeAdjusted(sellLow, sellHigh)).toBe(-1);
    expect(
      compareFeeAdjusted(
        feeAdjustedPrice('BUY', Price.parse('1.0'), FixedDecimal.parse('0.1')),
        feeAdjustedPrice('BUY', Price.parse('1.10'), FixedDecimal.parse('0')),
      ),
    ).toBe(0);
  });
});

describe('planRoute', () => {
  it('splits a buy over two venues by fee-adjusted price and records the worst level per venue', () => {
    const plan = planRoute(
      [
        venueInput(PAPER, '0.002', levels(['100.00', '0.3'], ['100.20', '1'])),
        venueInput(BINANCE, '0.001', levels(['100.05', '0.1'], ['100.10', '0.1'], ['101.00', '5'])),
      ],
      { side: 'BUY', quantity: q('0.5') },
    );
    // Adjusted: paper 100.2 (0.3), binance 100.15005 (0.1), binance 100.2001 (0.1), paper 100.4004 (1).
    expect(legsOf(plan)).toEqual([
      ['binanceus', '0.20000', '100.10'],
      ['paper', '0.3000', '100.00'],
    ]);
    expect(plan.planned.toString()).toBe('0.50000');
    expect(plan.unfilled.isZero()).toBe(true);
    expect(plan.unfilledReason).toBeUndefined();
    expect(plan.expectedNotional.eq(FixedDecimal.parse('50.015'))).toBe(true);
    // Fees: 20.015 × 0.001 = 0.020015; 30 × 0.002 = 0.06.
    expect(plan.expectedFees.eq(FixedDecimal.parse('0.080015'))).toBe(true);
    // (50.015 + 0.080015) / 0.5 = 100.19003.
    expect(plan.expectedAveragePrice?.eq(FixedDecimal.parse('100.19003'))).toBe(true);
    expect(plan.legs[0]?.accountId).toBe('account-binanceus');
  });

  it('prefers the cheaper book net of fees over the cheaper raw price', () => {
    const plan = planRoute(
      [
        venueInput(COINBASE, '0.006', levels(['100.00', '1'])),
        venueInput(BINANCE, '0.001', levels(['100.40', '1'])),
      ],
      { side: 'BUY', quantity: q('1') },
    );
    expect(legsOf(plan)).toEqual([['binanceus', '1.00000', '100.40']]);
    expect(plan.skipped).toEqual([
      { venue: 'coinbase', reason: 'its levels were not needed or held less than one step' },
    ]);
  });

  it('sells into the highest net bids first', () => {
    const plan = planRoute(
      [
        venueInput(PAPER, '0', levels(['99.00', '1'], ['100.00', '0.2'])),
        venueInput(BINANCE, '0', levels(['99.50', '0.5'])),
      ],
      { side: 'SELL', quantity: q('0.6') },
    );
    expect(legsOf(plan)).toEqual([
      ['paper', '0.2000', '100.00'],
      ['binanceus', '0.40000', '99.50'],
    ]);
    // (20 + 39.8) / 0.6
    expect(plan.expectedAveragePrice?.toString()).toBe('99.6666666667');
  });

  it('never takes a level beyond the limit price, and says the limit left the remainder', () => {
    const plan = planRoute([venueInput(PAPER, '0', levels(['100.00', '0.2'], ['101.00', '5']))], {
      side: 'BUY',
      quantity: q('1'),
      limitPrice: Price.parse('100.50'),
    });
    expect(legsOf(plan)).toEqual([['paper', '0.2000', '100.00']]);
    expect(plan.unfilled.toString()).toBe('0.8000');
    expect(plan.unfilledReason).toBe('LIMIT_PRICE');
  });

  it('reports missing liquidity when the books hold less than asked', () => {
    const plan = planRoute([venueInput(PAPER, '0', levels(['100.00', '0.2']))], {
      side: 'BUY',
      quantity: q('1'),
    });
    expect(plan.unfilled.toString()).toBe('0.8000');
    expect(plan.unfilledReason).toBe('INSUFFICIENT_LIQUIDITY');
  });

  it('rounds each leg down to its venue step and lets a finer venue take the rest', () => {
    const coarse = btcUsdOn('paper', 'BTC-USD', { step: '0.1' });
    const plan = planRoute(
      [
        venueInput(coarse, '0', levels(['100.00', '0.35'])),
        venueInput(COINBASE, '0', levels(['100.01', '1'])),
      ],
      { side: 'BUY', quantity: q('0.33') },
    );
    expect(legsOf(plan)).toEqual([
      ['paper', '0.3', '100.00'],
      ['coinbase', '0.03000000', '100.01'],
    ]);
    expect(plan.unfilled.isZero()).toBe(true);
  });

  it('carries a part-step remainder of a level into the venue next level', () => {
    const coarse = btcUsdOn('paper', 'BTC-USD', { step: '0.1' });
    const plan = planRoute([venueInput(coarse, '0', levels(['100.00', '0.05'], ['100.10', '0.05']))], {
      side: 'BUY',
      quantity: q('0.1'),
    });
    expect(legsOf(plan)).toEqual([['paper', '0.1', '100.10']]);
    expect(plan.expectedNotional.eq(FixedDecimal.parse('10.005'))).toBe(true);
  });

  it('drops a venue share below the venue minimum notional and plans the rest elsewhere', () => {
    const strict = btcUsdOn('binanceus', 'BTCUSD', { step: '0.00001', minNotional: '10' });
    const plan = planRoute(
      [venueInput(strict, '0', levels(['99.00', '0.05'])), venueInput(PAPER, '0', levels(['100.00', '1']))],
      { side: 'BUY', quantity: q('0.2') },
    );
    expect(legsOf(plan)).toEqual([['paper', '0.2000', '100.00']]);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]?.venue).toBe('binanceus');
    expect(plan.skipped[0]?.reason).toMatch(/notional 4\.95.* below the minimum/);
  });

  it('leaves out a remainder smaller than every step, and says the venue rules did', () => {
    const plan = planRoute([venueInput(PAPER, '0', levels(['100.00', '1']))], {
      side: 'BUY',
      quantity: q('0.00015'),
    });
    expect(legsOf(plan)).toEqual([['paper', '0.0001', '100.00']]);
    expect(plan.unfilled.toString()).toBe('0.00005');
    expect(plan.unfilledReason).toBe('VENUE_RULES');
  });

  it('caps a venue at its maximum quantity', () => {
    const small = btcUsdOn('paper', 'BTC-USD', { maxQuantity: '0.5' });
    const plan = planRoute(
      [venueInput(small, '0', levels(['100.00', '10'])), venueInput(BINANCE, '0', levels(['100.01', '10']))],
      { side: 'BUY', quantity: q('2') },
    );
    expect(legsOf(plan)).toEqual([
      ['paper', '0.5000', '100.00'],
      ['binanceus', '1.50000', '100.01'],
    ]);
  });

  it('plans nothing on empty books and says so per venue', () => {
    const plan = planRoute([venueInput(PAPER, '0.002', [])], { side: 'SELL', quantity: q('1') });
    expect(plan.legs).toEqual([]);
    expect(plan.expectedAveragePrice).toBeUndefined();
    expect(plan.unfilledReason).toBe('INSUFFICIENT_LIQUIDITY');
    expect(plan.skipped).toEqual([{ venue: 'paper', reason: 'no bid within the limit price' }]);
  });

  it('refuses bad input naming the field', () => {
    const one = [venueInput(PAPER, '0', levels(['100', '1']))];
    expect(() => planRoute(one, { side: 'BUY', quantity: q('0') })).toThrow(InvalidArgumentError);
    expect(() => planRoute(one, { side: 'BUY', quantity: q('1'), limitPrice: Price.parse('0') })).toThrow(
      /limitPrice/,
    );
    expect(() => planRoute([...one, ...one], { side: 'BUY', quantity: q('1') })).toThrow(
      /venues\[1\].*twice/,
    );
    const eth = venueInput({ ...BINANCE, baseAsset: 'ETH' }, '0', levels(['100', '1']));
    expect(() => planRoute([...one, eth], { side: 'BUY', quantity: q('1') })).toThrow(
      /venues\[1\].*not BTC\/USD/,
    );
  });
});
