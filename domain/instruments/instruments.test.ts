import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { Money, Price, Quantity } from '../values/index.ts';
import { createInstrument } from './instrument.ts';
import type { InstrumentSpec } from './instrument.ts';
import type { OrderViolation } from './order-violation.ts';
import { assertValidOrder, validateOrder } from './validate-order.ts';
import type { OrderParameters } from './validate-order.ts';

// Binance.US BTCUSD filters as published in exchangeInfo (2021-10-12 recording).
const binanceSpec: InstrumentSpec = {
  venue: 'binanceus',
  symbol: 'BTCUSD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.0100'),
  stepSize: Quantity.parse('0.00000100'),
  minQuantity: Quantity.parse('0.00000100'),
  maxQuantity: Quantity.parse('9000.00000000'),
  minNotional: Money.parse('10.0000', 'USD'),
  minPrice: Price.parse('0.0100'),
  maxPrice: Price.parse('100000.0000'),
};
const binance = createInstrument(binanceSpec);

const coinbase = createInstrument({
  venue: 'coinbase',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.00000001'),
  minQuantity: Quantity.parse('0.00001'),
  maxQuantity: Quantity.parse('3400'),
  minNotional: Money.parse('1', 'USD'),
  maxPrice: Price.parse('1000000'),
});

// OANDA EUR_USD: displayPrecision 5, tradeUnitsPrecision 0, minimumTradeSize 1.
const oanda = createInstrument({
  venue: 'oanda',
  symbol: 'EUR_USD',
  baseAsset: 'EUR',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.00001'),
  stepSize: Quantity.parse('1'),
  minQuantity: Quantity.parse('1'),
  maxQuantity: Quantity.parse('100000000'),
  minNotional: Money.parse('0', 'USD'),
});

const paper = createInstrument({ ...binanceSpec, venue: 'paper', symbol: 'BTC-USD' });

function limit(price: string, quantity: string, extra: Partial<OrderParameters> = {}): OrderParameters {
  return {
    side: 'BUY',
    type: 'LIMIT',
    price: Price.parse(price),
    quantity: Quantity.parse(quantity),
    ...extra,
  };
}

function violations(result: ReturnType<typeof validateOrder>): readonly OrderViolation[] {
  return result.ok ? [] : result.violations;
}

function only(result: ReturnType<typeof validateOrder>): OrderViolation {
  const list = violations(result);
  expect(list).toHaveLength(1);
  return list[0] as OrderViolation;
}

describe('createInstrument', () => {
  it('derives the id and freezes the result', () => {
    expect(binance.id).toBe('BTCUSD.BINANCEUS');
    expect(coinbase.id).toBe('BTC-USD.COINBASE');
    expect(oanda.id).toBe('EUR_USD.OANDA');
    expect(Object.isFrozen(binance)).toBe(true);
    expect('minPrice' in oanda).toBe(false);
  });

  it.each<[string, Partial<InstrumentSpec>, string]>([
    ['an uppercase venue', { venue: 'BINANCEUS' }, 'instrument.venue'],
    ['a lowercase symbol', { symbol: 'btcusd' }, 'instrument.symbol'],
    ['a bad base asset', { baseAsset: 'btc' }, 'instrument.baseAsset'],
    ['a bad quote asset', { quoteAsset: 'US$' }, 'instrument.quoteAsset'],
    ['equal assets', { quoteAsset: 'BTC', minNotional: Money.parse('1', 'BTC') }, 'instrument.quoteAsset'],
    ['a zero tick', { tickSize: Price.parse('0.00') }, 'instrument.tickSize'],
    ['a negative tick', { tickSize: Price.parse('-0.01') }, 'instrument.tickSize'],
    ['a zero step', { stepSize: Quantity.parse('0') }, 'instrument.stepSize'],
    ['min above max quantity', { minQuantity: Quantity.parse('10000') }, 'instrument.minQuantity'],
    [
      'a zero max quantity',
      { maxQuantity: Quantity.parse('0'), minQuantity: Quantity.parse('0') },
      'instrument.maxQuantity',
    ],
    ['min above max price', { minPrice: Price.parse('200000') }, 'instrument.minPrice'],
    ['a zero min price', { minPrice: Price.parse('0') }, 'instrument.minPrice'],
    ['a negative max price', { maxPrice: Price.parse('-1') }, 'instrument.maxPrice'],
    ['min notional in another currency', { minNotional: Money.parse('10', 'EUR') }, 'instrument.minNotional'],
    ['a negative min notional', { minNotional: Money.parse('-1', 'USD') }, 'instrument.minNotional'],
  ])('refuses %s', (_name, change, field) => {
    let caught: unknown;
    try {
      createInstrument({ ...binanceSpec, ...change });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).field).toBe(field);
  });
});

describe('validateOrder: Binance.US', () => {
  it('accepts an order that meets every filter', () => {
    expect(validateOrder(binance, limit('43210.55', '0.001000'))).toEqual({ ok: true });
  });

  it.each<[string, OrderParameters, string, string]>([
    ['price off the tick', limit('43210.555', '0.001'), 'PRICE_NOT_ON_TICK', 'Filter failure: PRICE_FILTER'],
    ['price above max', limit('100000.01', '0.001'), 'PRICE_ABOVE_MAX', 'Filter failure: PRICE_FILTER'],
    [
      'quantity off the step',
      limit('43210.55', '0.0010005'),
      'QUANTITY_NOT_ON_STEP',
      'Filter failure: LOT_SIZE',
    ],
    [
      'quantity above max',
      limit('43210.55', '9000.000001'),
      'QUANTITY_ABOVE_MAX',
      'Filter failure: LOT_SIZE',
    ],
    [
      'notional below 10',
      limit('43210.55', '0.000200'),
      'NOTIONAL_BELOW_MIN',
      'Filter failure: MIN_NOTIONAL',
    ],
  ])('reports %s as -1013', (_name, order, code, message) => {
    const violation = only(validateOrder(binance, order));
    expect(violation.code).toBe(code);
    expect(violation.venue).toEqual({ code: '-1013', message });
  });

  it('reports a missing limit price as -1102', () => {
    const violation = only(
      validateOrder(binance, { side: 'SELL', type: 'LIMIT', quantity: Quantity.parse('1') }),
    );
    expect(violation).toMatchObject({ code: 'PRICE_MISSING', field: 'price', venue: { code: '-1102' } });
  });

  it('reports a price on a market order as -1106', () => {
    const violation = only(validateOrder(binance, limit('43210.55', '0.001', { type: 'MARKET' })));
    expect(violation).toMatchObject({ code: 'PRICE_NOT_ALLOWED', venue: { code: '-1106' } });
  });

  it('says what is wrong, with the values', () => {
    const violation = only(validateOrder(binance, limit('43210.555', '0.001')));
    expect(violation.field).toBe('price');
    expect(violation.message).toBe('price 43210.555 is not a multiple of the tick size 0.0100');
    const notional = only(validateOrder(binance, limit('43210.55', '0.000200')));
    expect(notional.message).toBe(
      'notional 8.64211000 (price 43210.55 × quantity 0.000200) is below the minimum 10.0000 USD',
    );
  });

  it('lists every violation, price first', () => {
    const result = validateOrder(binance, limit('0.001', '0.0000001'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.violations.map((v) => v.code)).toEqual([
      'PRICE_NOT_ON_TICK',
      'PRICE_BELOW_MIN',
      'QUANTITY_NOT_ON_STEP',
      'QUANTITY_BELOW_MIN',
      'NOTIONAL_BELOW_MIN',
    ]);
    expect(result.violation).toBe(result.violations[0]);
  });
});

describe('validateOrder: Coinbase', () => {
  it.each<[string, OrderParameters, string]>([
    ['price off the tick', limit('100.001', '1'), 'INVALID_PRICE_PRECISION'],
    ['a zero price', limit('0', '1'), 'INVALID_LIMIT_PRICE'],
    ['a negative price', limit('-5.00', '1'), 'INVALID_LIMIT_PRICE'],
    ['price above max', limit('1000000.01', '0.001'), 'INVALID_LIMIT_PRICE'],
    ['size off the increment', limit('100.00', '1.000000001'), 'INVALID_SIZE_PRECISION'],
    ['size below minimum', limit('200000.00', '0.00000900'), 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL'],
    ['size above maximum', limit('1.00', '3400.00000001'), 'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE'],
    ['notional below minimum', limit('10.00', '0.05'), 'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL'],
    [
      'a stop price off the tick',
      limit('100.00', '1', { type: 'STOP_LIMIT', stopPrice: Price.parse('99.999') }),
      'PREVIEW_INVALID_STOP_PRICE_PRECISION',
    ],
  ])('reports %s', (_name, order, venueCode) => {
    expect(only(validateOrder(coinbase, order)).venue?.code).toBe(venueCode);
  });
});

describe('validateOrder: OANDA', () => {
  it.each<[string, OrderParameters, string]>([
    ['price with too many decimals', limit('1.084215', '1000'), 'PRICE_PRECISION_EXCEEDED'],
    ['fractional units', limit('1.08421', '1000.5'), 'UNITS_PRECISION_EXCEEDED'],
    ['units above the maximum', limit('1.08421', '100000001'), 'UNITS_LIMIT_EXCEEDED'],
    ['zero units', limit('1.08421', '0'), 'UNITS_INVALID'],
    [
      'a stop trigger with too many decimals',
      { side: 'SELL', type: 'STOP', stopPrice: Price.parse('1.000001'), quantity: Quantity.parse('10') },
      'PRICE_PRECISION_EXCEEDED',
    ],
    [
      'a stop without trigger',
      { side: 'SELL', type: 'STOP', quantity: Quantity.parse('10') },
      'PRICE_MISSING',
    ],
  ])('reports %s', (_name, order, venueCode) => {
    expect(only(validateOrder(oanda, order)).venue?.code).toBe(venueCode);
  });

  it('reports units below the minimum with OANDA’s own (misspelt) reason', () => {
    const small = createInstrument({
      venue: 'oanda',
      symbol: 'XAU_USD',
      baseAsset: 'XAU',
      quoteAsset: 'USD',
      tickSize: Price.parse('0.001'),
      stepSize: Quantity.parse('1'),
      minQuantity: Quantity.parse('5'),
      maxQuantity: Quantity.parse('10000'),
      minNotional: Money.parse('0', 'USD'),
    });
    expect(only(validateOrder(small, limit('2000.125', '4'))).venue?.code).toBe('UNITS_MIMIMUM_NOT_MET');
  });

  it('has no minimum notional', () => {
    expect(validateOrder(oanda, limit('0.00001', '1')).ok).toBe(true);
  });
});

describe('validateOrder: order types and the notional price', () => {
  const market = (quantity: string, referencePrice?: string): OrderParameters => ({
    side: 'BUY',
    type: 'MARKET',
    quantity: Quantity.parse(quantity),
    ...(referencePrice === undefined ? {} : { referencePrice: Price.parse(referencePrice) }),
  });

  it('skips the notional check for a market order without a reference price', () => {
    expect(validateOrder(binance, market('0.000001')).ok).toBe(true);
  });

  it('uses the reference price for a market order when given', () => {
    expect(only(validateOrder(binance, market('0.000100', '43210.55'))).code).toBe('NOTIONAL_BELOW_MIN');
    expect(validateOrder(binance, market('0.001000', '43210.55')).ok).toBe(true);
  });

  it('uses the stop price for a stop order', () => {
    const stop = (quantity: string): OrderParameters => ({
      side: 'SELL',
      type: 'STOP',
      stopPrice: Price.parse('40000.00'),
      quantity: Quantity.parse(quantity),
      referencePrice: Price.parse('1000000.00'),
    });
    expect(only(validateOrder(binance, stop('0.000200'))).code).toBe('NOTIONAL_BELOW_MIN');
    expect(validateOrder(binance, stop('0.000300')).ok).toBe(true);
  });

  it('requires and refuses stop prices by type', () => {
    const stopLimit = {
      side: 'BUY',
      type: 'STOP_LIMIT',
      price: Price.parse('100.00'),
      quantity: Quantity.parse('1'),
    } as const;
    expect(only(validateOrder(paper, stopLimit))).toMatchObject({
      code: 'STOP_PRICE_MISSING',
      field: 'stopPrice',
    });
    expect(only(validateOrder(paper, limit('100.00', '1', { stopPrice: Price.parse('99.00') }))).code).toBe(
      'STOP_PRICE_NOT_ALLOWED',
    );
  });

  it('gives no venue rejection for a venue without a table', () => {
    const violation = only(validateOrder(paper, limit('100.001', '1')));
    expect(violation.code).toBe('PRICE_NOT_ON_TICK');
    expect('venue' in violation).toBe(false);
  });
});

describe('validateOrder: grid properties', () => {
  it('accepts exactly the prices on the tick grid', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 1n, max: 99n }),
        (ticks, offset) => {
          const onGrid = Price.fromRaw(ticks, 2); // tick 0.01
          const offGrid = Price.fromRaw(ticks * 100n + offset, 4);
          const codes = (price: Price) =>
            violations(
              validateOrder(coinbase, { side: 'BUY', type: 'LIMIT', price, quantity: Quantity.parse('1') }),
            ).map((v) => v.code);
          expect(codes(onGrid)).not.toContain('PRICE_NOT_ON_TICK');
          expect(codes(offGrid)).toContain('PRICE_NOT_ON_TICK');
          // Padding with zeros does not move a price off the grid.
          expect(codes(onGrid.withPrecision(8, 'DOWN'))).not.toContain('PRICE_NOT_ON_TICK');
        },
      ),
    );
  });
});

describe('assertValidOrder', () => {
  it('throws the first violation as an InvalidArgumentError with the venue code in details', () => {
    let caught: unknown;
    try {
      assertValidOrder(binance, limit('43210.555', '0.001'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const error = caught as InvalidArgumentError;
    expect(error.field).toBe('price');
    expect(error.message).toContain('BTCUSD.BINANCEUS');
    expect(error.details).toEqual({
      code: 'PRICE_NOT_ON_TICK',
      instrumentId: 'BTCUSD.BINANCEUS',
      venueCode: '-1013',
      venueMessage: 'Filter failure: PRICE_FILTER',
    });
    expect(() => assertValidOrder(binance, limit('43210.55', '0.001'))).not.toThrow();
  });
});
