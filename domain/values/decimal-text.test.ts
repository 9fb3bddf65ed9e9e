import { describe, expect, it } from 'vitest';
import { shownDecimal, significantDecimals } from './decimal-text.ts';

describe('shownDecimal (display only)', () => {
  it('drops the zeros a venue pads its prices and quantities with, keeping the minimum decimals', () => {
    expect(shownDecimal('30183.93000000', 2)).toBe('30183.93');
    expect(shownDecimal('30183.90000000', 2)).toBe('30183.90');
    expect(shownDecimal('1.10112', 2)).toBe('1.10112');
    expect(shownDecimal('30183', 2)).toBe('30183.00');
    expect(shownDecimal('-0.00491200')).toBe('-0.004912');
    expect(shownDecimal('2.0000')).toBe('2');
    expect(shownDecimal('0.0')).toBe('0');
    expect(shownDecimal('100')).toBe('100');
  });
});

describe('significantDecimals', () => {
  it('counts the decimals a value needs, and none for a text that is no decimal', () => {
    expect(significantDecimals('30183.93000000')).toBe(2);
    expect(significantDecimals('0.00050000')).toBe(4);
    expect(significantDecimals('2.000')).toBe(0);
    expect(significantDecimals('-1.5')).toBe(1);
    expect(significantDecimals('0.5 USD')).toBe(0);
    expect(shownDecimal('0.5 USD', 2)).toBe('0.5 USD');
  });
});
