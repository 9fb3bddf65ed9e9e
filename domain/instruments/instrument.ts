import { InvalidArgumentError } from '../errors.ts';
import { formatInstrumentId, parseSymbolId, parseVenueId } from '../identifiers/index.ts';
import type { InstrumentId, SymbolId, VenueId } from '../identifiers/index.ts';
import { assertCurrencyCode } from '../values/index.ts';
import type { Money, Price, Quantity } from '../values/index.ts';

/**
 * A tradable instrument on one venue with the rules the venue enforces on orders for it
 * (Binance PRICE_FILTER / LOT_SIZE / MIN_NOTIONAL, Coinbase quote_increment / base_increment /
 * base_min_size, OANDA displayPrecision / tradeUnitsPrecision / minimumTradeSize). A rule the
 * venue does not have is left out (optional) or set to its neutral value, never to zero where
 * zero would mean "disabled" (Binance's convention, which adapters translate).
 */
export interface Instrument {
  readonly id: InstrumentId;
  readonly venue: VenueId;
  readonly symbol: SymbolId;
  /** What is bought or sold, e.g. BTC in BTC-USD, EUR in EUR_USD. */
  readonly baseAsset: string;
  /** What prices, notionals and usually fees are in, e.g. USD. */
  readonly quoteAsset: string;
  /** Prices must be whole multiples of it; > 0. */
  readonly tickSize: Price;
  /** Quantities must be whole multiples of it; > 0. */
  readonly stepSize: Quantity;
  readonly minQuantity: Quantity;
  readonly maxQuantity: Quantity;
  /** Smallest price × quantity accepted, in the quote asset; zero when the venue has no minimum. */
  readonly minNotional: Money;
  readonly minPrice?: Price;
  readonly maxPrice?: Price;
}

/** What `createInstrument` needs: the id is derived, identifiers and codes are validated. */
export interface InstrumentSpec {
  readonly venue: string;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Price;
  readonly stepSize: Quantity;
  readonly minQuantity: Quantity;
  readonly maxQuantity: Quantity;
  readonly minNotional: Money;
  readonly minPrice?: Price;
  readonly maxPrice?: Price;
}

function fail(field: string, message: string): never {
  throw new InvalidArgumentError(`instrument.${field}`, message);
}

function checkPrices(spec: InstrumentSpec): void {
  if (!spec.tickSize.isPositive())
    fail('tickSize', `must be greater than zero, got ${spec.tickSize.toString()}`);
  if (spec.minPrice !== undefined && !spec.minPrice.isPositive()) {
    fail('minPrice', `must be greater than zero when set, got ${spec.minPrice.toString()}`);
  }
  if (spec.maxPrice !== undefined && !spec.maxPrice.isPositive()) {
    fail('maxPrice', `must be greater than zero when set, got ${spec.maxPrice.toString()}`);
  }
  if (spec.minPrice !== undefined && spec.maxPrice !== undefined && spec.minPrice.gt(spec.maxPrice)) {
    fail('minPrice', `${spec.minPrice.toString()} is above maxPrice ${spec.maxPrice.toString()}`);
  }
}

function checkQuantities(spec: InstrumentSpec): void {
  if (!spec.stepSize.isPositive())
    fail('stepSize', `must be greater than zero, got ${spec.stepSize.toString()}`);
  if (!spec.maxQuantity.isPositive()) {
    fail('maxQuantity', `must be greater than zero, got ${spec.maxQuantity.toString()}`);
  }
  if (spec.minQuantity.gt(spec.maxQuantity)) {
    fail('minQuantity', `${spec.minQuantity.toString()} is above maxQuantity ${spec.maxQuantity.toString()}`);
  }
}

/** A validated, frozen instrument; throws `InvalidArgumentError` naming the first bad field. */
export function createInstrument(spec: InstrumentSpec): Instrument {
  const venue = parseVenueId(spec.venue, 'instrument.venue');
  const symbol = parseSymbolId(spec.symbol, 'instrument.symbol');
  assertCurrencyCode(spec.baseAsset, 'instrument.baseAsset');
  assertCurrencyCode(spec.quoteAsset, 'instrument.quoteAsset');
  if (spec.baseAsset === spec.quoteAsset) fail('quoteAsset', `must differ from baseAsset ${spec.baseAsset}`);
  checkPrices(spec);
  checkQuantities(spec);
  if (spec.minNotional.currency !== spec.quoteAsset) {
    fail('minNotional', `must be in the quote asset ${spec.quoteAsset}, got ${spec.minNotional.currency}`);
  }
  if (spec.minNotional.isNegative())
    fail('minNotional', `must not be negative, got ${spec.minNotional.toString()}`);
  return Object.freeze({
    id: formatInstrumentId(symbol, venue),
    venue,
    symbol,
    baseAsset: spec.baseAsset,
    quoteAsset: spec.quoteAsset,
    tickSize: spec.tickSize,
    stepSize: spec.stepSize,
    minQuantity: spec.minQuantity,
    maxQuantity: spec.maxQuantity,
    minNotional: spec.minNotional,
    ...(spec.minPrice === undefined ? {} : { minPrice: spec.minPrice }),
    ...(spec.maxPrice === undefined ? {} : { maxPrice: spec.maxPrice }),
  });
}
