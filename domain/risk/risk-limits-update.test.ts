import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { emptyRiskLimits, venueAssetKey } from './risk-limits.ts';
import { updateRiskLimits } from './risk-limits-update.ts';
import { BTC_USD } from './test-support.ts';

describe('updateRiskLimits', () => {
  it('applies a valid update and removes limits set to null', () => {
    const limits = updateRiskLimits(emptyRiskLimits(), {
      killSwitch: true,
      maxOrderNotional: { USD: '1000.50' },
      maxPosition: { [BTC_USD.id]: '2' },
      maxVenuePosition: { paper: { BTC: '5' } },
      maxOpenOrders: 10,
      orderRate: { burst: 5, perSecond: 2 },
      priceBandBps: 300,
    });
    expect(limits.killSwitch).toBe(true);
    expect(limits.maxOrderNotional.get('USD')?.toString()).toBe('1000.50');
    expect(limits.maxPosition.get(BTC_USD.id)?.toString()).toBe('2');
    expect(limits.maxVenuePosition.get(venueAssetKey(BTC_USD.venue, 'BTC'))?.toString()).toBe('5');
    const cleared = updateRiskLimits(limits, {
      maxOrderNotional: { USD: null },
      maxOpenOrders: null,
      orderRate: null,
    });
    expect(cleared.maxOrderNotional.size).toBe(0);
    expect(cleared.maxOpenOrders).toBeUndefined();
    expect(cleared.orderRate).toBeUndefined();
    expect(cleared.priceBandBps).toBe(300);
  });

  it.each([
    [{ maxOpenOrders: -1 }, 'limits.maxOpenOrders'],
    [{ maxOpenOrders: 1.5 }, 'limits.maxOpenOrders'],
    [{ surprise: 1 }, 'limits'],
    [{ maxOrderNotional: { USD: '-5' } }, 'limits.maxOrderNotional.USD'],
    [{ maxOrderNotional: { usd: '5' } }, 'limits.maxOrderNotional.usd'],
    [{ maxOrderNotional: { USD: '1e5' } }, 'limits.maxOrderNotional.USD'],
    [{ maxPosition: { 'not-an-instrument': '1' } }, 'limits.maxPosition.not-an-instrument'],
    [{ maxVenuePosition: { 'Bad Venue': { BTC: '1' } } }, 'limits.maxVenuePosition.Bad Venue'],
    [{ orderRate: { burst: 0, perSecond: 1 } }, 'limits.orderRate.burst'],
    [{ priceBandBps: 0 }, 'limits.priceBandBps'],
  ])('refuses %j naming %s', (update, field) => {
    const before = emptyRiskLimits();
    let caught: unknown;
    try {
      updateRiskLimits(before, update);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).field.startsWith(field)).toBe(true);
    expect(before.maxOrderNotional.size).toBe(0);
  });
});
