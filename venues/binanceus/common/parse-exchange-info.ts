import {
  asArray,
  asObject,
  decimal,
  int,
  parseFixedDecimal,
  parsePrice,
  parseQuantity,
  str,
} from './parse-fields.ts';
import type { WireObject } from './parse-fields.ts';
import type { BinanceUsExchangeInfo, BinanceUsRateLimit, BinanceUsSymbolInfo } from './symbol-info.ts';

const K = 'exchangeInfo';

/** An optional filter decimal: absent, or zero (Binance's "disabled"), gives undefined. */
function nonZero<T extends { isZero(): boolean }>(
  filter: WireObject | undefined,
  key: string,
  parse: (text: string, field: string) => T,
): T | undefined {
  if (filter === undefined || filter[key] === undefined) return undefined;
  const value = decimal(filter[key], K, `${String(filter['filterType'])}.${key}`, parse);
  return value.isZero() ? undefined : value;
}

function parseSymbol(value: unknown, index: number): BinanceUsSymbolInfo {
  const o = asObject(value, K, `symbols[${index}]`);
  const filters = new Map<string, WireObject>();
  for (const [i, f] of asArray(o['filters'] ?? [], K, 'filters').entries()) {
    const filter = asObject(f, K, `symbols[${index}].filters[${i}]`);
    filters.set(str(filter, 'filterType', K), filter);
  }
  const priceFilter = filters.get('PRICE_FILTER');
  const lot = filters.get('LOT_SIZE');
  const notional = filters.get('MIN_NOTIONAL') ?? filters.get('NOTIONAL');
  const appliesToMarket = notional?.['applyToMarket'] ?? notional?.['applyMinToMarket'];
  return {
    symbol: str(o, 'symbol', K),
    status: str(o, 'status', K),
    baseAsset: str(o, 'baseAsset', K),
    quoteAsset: str(o, 'quoteAsset', K),
    orderTypes: asArray(o['orderTypes'] ?? [], K, 'orderTypes').filter(
      (t): t is string => typeof t === 'string',
    ),
    tickSize: nonZero(priceFilter, 'tickSize', parsePrice),
    minPrice: nonZero(priceFilter, 'minPrice', parsePrice),
    maxPrice: nonZero(priceFilter, 'maxPrice', parsePrice),
    stepSize: nonZero(lot, 'stepSize', parseQuantity),
    minQuantity: nonZero(lot, 'minQty', parseQuantity),
    maxQuantity: nonZero(lot, 'maxQty', parseQuantity),
    minNotional: nonZero(notional, 'minNotional', parseFixedDecimal),
    maxNotional: nonZero(notional, 'maxNotional', parseFixedDecimal),
    minNotionalAppliesToMarket: appliesToMarket === true,
  };
}

function parseRateLimit(value: unknown): BinanceUsRateLimit {
  const o = asObject(value, K, 'rateLimits[]');
  return {
    rateLimitType: str(o, 'rateLimitType', K),
    interval: str(o, 'interval', K),
    intervalNum: int(o, 'intervalNum', K),
    limit: int(o, 'limit', K),
  };
}

/** `GET /api/v3/exchangeInfo` body (already decoded) → symbols with exact filters. */
export function parseExchangeInfo(value: unknown): BinanceUsExchangeInfo {
  const o = asObject(value, K);
  return {
    serverTime: int(o, 'serverTime', K),
    rateLimits: asArray(o['rateLimits'] ?? [], K, 'rateLimits').map(parseRateLimit),
    symbols: asArray(o['symbols'], K, 'symbols').map(parseSymbol),
  };
}
