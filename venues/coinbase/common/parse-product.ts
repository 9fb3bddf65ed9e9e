import { createInstrument } from '../../../domain/instruments/index.ts';
import type { Instrument } from '../../../domain/instruments/index.ts';
import { Money, Quantity } from '../../../domain/values/index.ts';
import type { Price } from '../../../domain/values/index.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { asObject, optBool, optPrice, optStr, quantity, signedDecimal, str } from './parse-fields.ts';

/** The fields of a product (`GET /products`, `/products/{id}`) the connector uses. */
export interface CoinbaseProduct {
  readonly productId: string;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  /** `price_increment` when present, else `quote_increment` (the tick). */
  readonly priceIncrement: Price;
  readonly baseIncrement: Quantity;
  readonly baseMinSize: Quantity;
  readonly baseMaxSize: Quantity;
  readonly quoteMinSize: string | undefined;
  readonly status: string;
  readonly tradingDisabled: boolean;
}

export function parseProduct(value: unknown): CoinbaseProduct {
  const kind = 'product';
  const o = asObject(value, kind);
  const productId = str(o, 'product_id', kind);
  const tick = optPrice(o, 'price_increment', kind) ?? optPrice(o, 'quote_increment', kind);
  if (tick === undefined) {
    throw new MalformedPayloadError(kind, `${productId}.quote_increment`, 'missing or zero');
  }
  const quoteMin = optStr(o, 'quote_min_size', kind);
  if (quoteMin !== undefined && quoteMin !== '') signedDecimal(o, 'quote_min_size', kind);
  return {
    productId,
    baseCurrency: optStr(o, 'base_currency_id', kind) ?? str(o, 'base_display_symbol', kind),
    quoteCurrency: optStr(o, 'quote_currency_id', kind) ?? str(o, 'quote_display_symbol', kind),
    priceIncrement: tick,
    baseIncrement: quantity(o, 'base_increment', kind),
    baseMinSize: quantity(o, 'base_min_size', kind),
    baseMaxSize: quantity(o, 'base_max_size', kind),
    quoteMinSize: quoteMin === '' ? undefined : quoteMin,
    status: optStr(o, 'status', kind) ?? 'online',
    tradingDisabled: optBool(o, 'trading_disabled', kind) ?? false,
  };
}

/**
 * A product as a domain Instrument: tick = price (or quote) increment, step = base increment,
 * min/max quantity = base min/max size, minimum notional = quote_min_size (zero when absent).
 */
export function toInstrument(product: CoinbaseProduct): Instrument {
  if (!product.baseIncrement.isPositive()) {
    throw new MalformedPayloadError('product', `${product.productId}.base_increment`, 'must be positive');
  }
  return createInstrument({
    venue: 'coinbase',
    symbol: product.productId,
    baseAsset: product.baseCurrency,
    quoteAsset: product.quoteCurrency,
    tickSize: product.priceIncrement,
    stepSize: product.baseIncrement,
    minQuantity: product.baseMinSize,
    maxQuantity: product.baseMaxSize.isPositive() ? product.baseMaxSize : Quantity.parse('9000000000'),
    minNotional:
      product.quoteMinSize === undefined
        ? Money.zero(product.quoteCurrency)
        : Money.parse(product.quoteMinSize, product.quoteCurrency, 'quote_min_size'),
  });
}
