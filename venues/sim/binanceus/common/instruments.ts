import { InvalidArgumentError } from '../../../../domain/errors.ts';
import { FixedDecimal, Price, Quantity } from '../../../../domain/values/index.ts';
import type { PaperInstrumentSpec } from '../../../paper/index.ts';

/** A simulated symbol: the engine's instrument (id = the Binance symbol) plus a reference price. */
export interface SimSymbol {
  readonly spec: PaperInstrumentSpec;
  /** Where generated order flow starts. */
  readonly referencePrice: Price;
}

interface Template {
  readonly tick: string;
  readonly step: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minNotional: string;
  readonly reference: string;
}

// Filters shaped like Binance.US's own (BTCUSD from the 2021-10-12 exchangeInfo: tick 0.01, step 0.000001, min notional 10).
const KNOWN: Readonly<Record<string, Template>> = {
  BTC: {
    tick: '0.01',
    step: '0.000001',
    minQty: '0.000001',
    maxQty: '9000',
    minNotional: '10',
    reference: '30000.00',
  },
  ETH: {
    tick: '0.01',
    step: '0.00001',
    minQty: '0.00001',
    maxQty: '9000',
    minNotional: '10',
    reference: '2000.00',
  },
};
const GENERIC: Template = {
  tick: '0.0001',
  step: '0.01',
  minQty: '0.01',
  maxQty: '900000',
  minNotional: '10',
  reference: '10.0000',
};
const QUOTES = ['USDT', 'USDC', 'BUSD', 'USD', 'BTC'];

/** The simulator's instrument for a Binance-style symbol such as BTCUSD or ETHUSDT. */
export function simSymbol(symbol: string): SimSymbol {
  if (!/^[A-Z0-9]{5,20}$/.test(symbol))
    throw new InvalidArgumentError('symbols', `${symbol} is not a Binance symbol`);
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  if (quote === undefined)
    throw new InvalidArgumentError('symbols', `${symbol}: unknown quote asset (know ${QUOTES.join(', ')})`);
  const base = symbol.slice(0, -quote.length);
  const t = KNOWN[base] ?? GENERIC;
  return {
    spec: {
      id: symbol,
      symbol,
      base,
      quote,
      tickSize: Price.parse(t.tick),
      stepSize: Quantity.parse(t.step),
      minQty: Quantity.parse(t.minQty),
      maxQty: Quantity.parse(t.maxQty),
      minNotional: FixedDecimal.parse(t.minNotional),
    },
    referencePrice: Price.parse(t.reference),
  };
}

/** Binance writes filter decimals with 8 places. */
export function wire(value: { toFixed(p: number): string; precision: number }): string {
  return value.toFixed(Math.max(8, value.precision));
}

/** The `/api/v3/exchangeInfo` body for the simulated symbols. */
export function exchangeInfoBody(symbols: readonly SimSymbol[], serverTime: number): unknown {
  return {
    timezone: 'UTC',
    serverTime,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 6100 },
    ],
    exchangeFilters: [],
    symbols: symbols.map(({ spec }) => ({
      symbol: spec.symbol,
      status: 'TRADING',
      baseAsset: spec.base,
      baseAssetPrecision: 8,
      quoteAsset: spec.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: [
        'LIMIT',
        'LIMIT_MAKER',
        'MARKET',
        'STOP_LOSS',
        'STOP_LOSS_LIMIT',
        'TAKE_PROFIT',
        'TAKE_PROFIT_LIMIT',
      ],
      icebergAllowed: false,
      ocoAllowed: false,
      quoteOrderQtyMarketAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: wire(spec.tickSize),
          maxPrice: '1000000.00000000',
          tickSize: wire(spec.tickSize),
        },
        {
          filterType: 'LOT_SIZE',
          minQty: wire(spec.minQty),
          maxQty: wire(spec.maxQty),
          stepSize: wire(spec.stepSize),
        },
        {
          filterType: 'MIN_NOTIONAL',
          minNotional: wire(FixedDecimal.from(spec.minNotional)),
          applyToMarket: true,
          avgPriceMins: 5,
        },
      ],
      permissions: ['SPOT'],
    })),
  };
}
