import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { formatInstrumentId, InstrumentId, isInstrumentId, parseInstrumentId } from './instrument-id.ts';

const upperAlnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const separators = ['_', '-', '/', '.'];

const symbolArb = fc
  .tuple(
    fc.constantFrom(...upperAlnum),
    fc.array(fc.constantFrom(...upperAlnum, ...separators), { maxLength: 30 }),
    fc.constantFrom(...upperAlnum),
    fc.boolean(),
  )
  .map(([first, middle, last, single]) => (single ? first : `${first}${middle.join('')}${last}`));

const venueArb = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')),
    fc.array(fc.constantFrom(...lowerAlnum), { minLength: 1, maxLength: 31 }),
  )
  .map(([first, rest]) => `${first}${rest.join('')}`);

describe('InstrumentId', () => {
  it('formats symbol and uppercased venue', () => {
    expect(formatInstrumentId('BTC-USD', 'coinbase')).toBe('BTC-USD.COINBASE');
    expect(InstrumentId.format('EUR_USD', 'oanda')).toBe('EUR_USD.OANDA');
    expect(InstrumentId.parse('BTCUSD.BINANCEUS')).toEqual({
      id: 'BTCUSD.BINANCEUS',
      symbol: 'BTCUSD',
      venue: 'binanceus',
    });
  });

  it('splits at the last dot, since symbols may contain dots', () => {
    expect(InstrumentId.parse('BRK.B.PAPER')).toEqual({ id: 'BRK.B.PAPER', symbol: 'BRK.B', venue: 'paper' });
  });

  it('round-trips format → parse → format for any valid symbol and venue', () => {
    fc.assert(
      fc.property(symbolArb, venueArb, (symbol, venue) => {
        const id = InstrumentId.format(symbol, venue);
        expect(isInstrumentId(id)).toBe(true);
        const parts = InstrumentId.parse(id);
        expect(parts).toEqual({ id, symbol, venue });
        expect(InstrumentId.format(parts.symbol, parts.venue)).toBe(id);
        expect(parseInstrumentId(id)).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with isInstrumentId on arbitrary text: parse succeeds iff the guard holds, and then round-trips', () => {
    const textArb = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .tuple(symbolArb, venueArb, fc.boolean())
        .map(([s, v, upper]) => `${s}.${upper ? v.toUpperCase() : v}`),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        let parsed: ReturnType<typeof InstrumentId.parse> | undefined;
        try {
          parsed = InstrumentId.parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
        }
        expect(parsed !== undefined).toBe(isInstrumentId(text));
        if (parsed !== undefined) expect(InstrumentId.format(parsed.symbol, parsed.venue)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['BTC-USD', 'no "."'],
    ['BTC-USD.coinbase', 'not an uppercase venue name'],
    ['BTC-USD.', 'not an uppercase venue name'],
    ['.COINBASE', 'not a venue symbol'],
    ['btc-usd.COINBASE', 'not a venue symbol'],
    ['BTC-USD.COIN-BASE', 'not an uppercase venue name'],
    ['BTC-USD.C', 'not an uppercase venue name'],
  ])('rejects %j (%s)', (text, why) => {
    expect(() => parseInstrumentId(text, 'order.instrumentId')).toThrow(InvalidArgumentError);
    try {
      InstrumentId.parse(text, 'order.instrumentId');
    } catch (error) {
      const e = error as InvalidArgumentError;
      expect(e.field).toBe('order.instrumentId');
      expect(e.message).toContain(JSON.stringify(text));
      expect(e.message).toContain(why);
    }
    expect(isInstrumentId(text)).toBe(false);
  });

  it('validates the parts when formatting', () => {
    expect(() => formatInstrumentId('btc', 'coinbase')).toThrow(/symbol: /);
    expect(() => formatInstrumentId('BTC', 'Coinbase')).toThrow(/venue: /);
  });
});
