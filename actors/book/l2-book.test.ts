import { describe, expect, it } from 'vitest';
import { parseInstrumentId } from '../../domain/index.ts';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { BookLevel } from '../../venues/venue-connector.ts';
import { L2Book } from './l2-book.ts';

const ID = parseInstrumentId('BTCUSD.BINANCEUS');
const lv = (price: string, quantity: string): BookLevel => ({
  price: Price.parse(price),
  quantity: Quantity.parse(quantity),
});
const texts = (levels: readonly BookLevel[]): string[] =>
  levels.map((l) => `${l.price.toString()}x${l.quantity.toString()}`);

describe('L2Book', () => {
  it('orders bids descending and asks ascending across price precisions', () => {
    const book = new L2Book();
    book.reset({
      instrumentId: ID,
      sequence: 10,
      bids: [lv('99.5', '1'), lv('100', '2'), lv('99.75', '3')],
      asks: [lv('101.00', '1'), lv('100.5', '2')],
      timestamp: 1,
    });
    expect(texts(book.bids.top(10))).toEqual(['100x2', '99.75x3', '99.5x1']);
    expect(texts(book.asks.top(10))).toEqual(['100.5x2', '101.00x1']);
    expect(book.sequence).toBe(10);
  });

  it('applies absolute quantities, removes zero levels, ignores old sequences', () => {
    const book = new L2Book();
    book.reset({
      instrumentId: ID,
      sequence: 5,
      bids: [lv('100', '1')],
      asks: [lv('101', '1')],
      timestamp: 1,
    });
    expect(
      book.apply({
        instrumentId: ID,
        sequence: 6,
        bids: [lv('100', '0'), lv('99', '4')],
        asks: [lv('102', '0')],
        timestamp: 2,
      }),
    ).toBe(true);
    expect(texts(book.bids.top(5))).toEqual(['99x4']);
    expect(texts(book.asks.top(5))).toEqual(['101x1']);
    expect(book.apply({ instrumentId: ID, sequence: 6, bids: [lv('98', '1')], asks: [], timestamp: 3 })).toBe(
      false,
    );
    expect(book.bids.size).toBe(1);
  });

  it('leaves the book untouched when one level of an update is bad', () => {
    const book = new L2Book();
    book.reset({ instrumentId: ID, sequence: 1, bids: [lv('100', '1')], asks: [], timestamp: 1 });
    expect(() =>
      book.apply({
        instrumentId: ID,
        sequence: 2,
        bids: [lv('99', '1'), lv('98', '-1')],
        asks: [],
        timestamp: 2,
      }),
    ).toThrow(/quantity/);
    expect(texts(book.bids.top(5))).toEqual(['100x1']);
    expect(book.sequence).toBe(1);
  });

  it('detects a crossed book', () => {
    const book = new L2Book();
    book.reset({
      instrumentId: ID,
      sequence: 1,
      bids: [lv('101', '1')],
      asks: [lv('101', '1')],
      timestamp: 1,
    });
    expect(book.crossed()).toBe(true);
  });
});
