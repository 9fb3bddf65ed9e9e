import { createInstrument } from '../../../domain/instruments/index.ts';
import type { Instrument } from '../../../domain/instruments/index.ts';
import { Money, Quantity } from '../../../domain/values/index.ts';
import { MalformedPayloadError } from './parse-error.ts';
import type { BinanceUsSymbolInfo } from './symbol-info.ts';

/**
 * A symbol from exchangeInfo as a domain Instrument. Binance's "0 = rule disabled" has already become
 * `undefined` in BinanceUsSymbolInfo; here a missing LOT_SIZE maximum becomes the largest quantity the
 * venue could express, and a missing minimum notional becomes zero (the domain's "no minimum").
 * A symbol without a tick or step size cannot be traded exactly and is reported as malformed.
 */
export function toInstrument(info: BinanceUsSymbolInfo): Instrument {
  if (info.tickSize === undefined)
    throw new MalformedPayloadError(
      'exchangeInfo',
      `${info.symbol}.PRICE_FILTER.tickSize`,
      'missing or zero',
    );
  if (info.stepSize === undefined)
    throw new MalformedPayloadError('exchangeInfo', `${info.symbol}.LOT_SIZE.stepSize`, 'missing or zero');
  const minNotional = info.minNotional;
  return createInstrument({
    venue: 'binanceus',
    symbol: info.symbol,
    baseAsset: info.baseAsset,
    quoteAsset: info.quoteAsset,
    tickSize: info.tickSize,
    stepSize: info.stepSize,
    minQuantity: info.minQuantity ?? Quantity.zero(info.stepSize.precision),
    maxQuantity: info.maxQuantity ?? Quantity.parse('9000000000'),
    minNotional:
      minNotional === undefined
        ? Money.zero(info.quoteAsset)
        : Money.fromRaw(minNotional.raw, minNotional.precision, info.quoteAsset),
    ...(info.minPrice !== undefined ? { minPrice: info.minPrice } : {}),
    ...(info.maxPrice !== undefined ? { maxPrice: info.maxPrice } : {}),
  });
}
