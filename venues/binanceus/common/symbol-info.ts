import type { Price, Quantity, FixedDecimal } from '../../../domain/values/index.ts';

/**
 * One symbol of `exchangeInfo` with its order filters as exact decimals. Binance writes 0 for a
 * disabled rule; here a disabled rule is `undefined` instead, so no caller can mistake it for a value.
 */
export interface BinanceUsSymbolInfo {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly orderTypes: readonly string[];
  /** PRICE_FILTER.tickSize. */
  readonly tickSize: Price | undefined;
  readonly minPrice: Price | undefined;
  readonly maxPrice: Price | undefined;
  /** LOT_SIZE. */
  readonly stepSize: Quantity | undefined;
  readonly minQuantity: Quantity | undefined;
  readonly maxQuantity: Quantity | undefined;
  /** MIN_NOTIONAL.minNotional or NOTIONAL.minNotional, in the quote asset. */
  readonly minNotional: FixedDecimal | undefined;
  readonly maxNotional: FixedDecimal | undefined;
  readonly minNotionalAppliesToMarket: boolean;
}

export interface BinanceUsRateLimit {
  readonly rateLimitType: string;
  readonly interval: string;
  readonly intervalNum: number;
  readonly limit: number;
}

export interface BinanceUsExchangeInfo {
  readonly serverTime: number;
  readonly rateLimits: readonly BinanceUsRateLimit[];
  readonly symbols: readonly BinanceUsSymbolInfo[];
}
