import { describe, expect, it } from 'vitest';
import { shownMoney } from './status-snapshot.ts';

describe('shownMoney (the panel only; the API keeps exact figures)', () => {
  it('rounds fiat and stablecoins half-even to the cent', () => {
    expect(shownMoney({ amount: '0.2667012800000000', currency: 'USD' })).toBe('0.27 USD');
    expect(shownMoney({ amount: '-0.09811204000000000', currency: 'USD' })).toBe('-0.10 USD');
    expect(shownMoney({ amount: '0.125', currency: 'EUR' })).toBe('0.12 EUR');
    expect(shownMoney({ amount: '0.135', currency: 'USDT' })).toBe('0.14 USDT');
    expect(shownMoney({ amount: '12', currency: 'USD' })).toBe('12.00 USD');
  });

  it('shows other assets to 8 decimals', () => {
    expect(shownMoney({ amount: '0.0000123456789', currency: 'BTC' })).toBe('0.00001235 BTC');
    expect(shownMoney({ amount: '-1.5', currency: 'ETH' })).toBe('-1.50000000 ETH');
  });

  it('refuses an amount that is not a decimal', () => {
    expect(() => shownMoney({ amount: 'NaN', currency: 'USD' })).toThrow(/amount/);
  });
});
