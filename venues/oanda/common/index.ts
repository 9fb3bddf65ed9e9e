export { OandaCredentials } from './credentials.ts';
export { OANDA_LIVE_URLS, OANDA_PRACTICE_URLS, trimSlash } from './urls.ts';
export type { OandaUrls } from './urls.ts';
export {
  OandaCancelReason,
  OandaOrderState,
  OandaOrderType,
  OandaTimeInForce,
  OandaTransactionType,
} from './enums.ts';
export { MalformedPayloadError } from './parse-error.ts';
export { oandaMetrics } from './metrics.ts';
export type { OandaMetrics } from './metrics.ts';
export { compareIds } from './parse-fields.ts';
export { formatTime, parseTime } from './time.ts';
export type { OandaPrice, OandaPriceLevel, OandaPricingLine } from './price-line.ts';
export { parsePriceObject, parsePricingLineText, parsePricingLineValue } from './parse-price.ts';
export { fastParsePricingLine } from './fast-price-parser.ts';
export { parsePricingLine } from './parse-line.ts';
export type {
  OandaTransaction,
  OrderCancelRejectTransaction,
  OrderCancelTransaction,
  OrderCreateTransaction,
  OrderFillTransaction,
  OrderRejectTransaction,
  OtherTransaction,
} from './transaction.ts';
export { parseTransaction, parseTransactionList } from './parse-transaction.ts';
export type { OandaOrder } from './order.ts';
export { parseOrder, parseOrderList } from './parse-order.ts';
export type { OandaInstrumentInfo } from './instrument-info.ts';
export { parseInstrument, parseInstruments } from './parse-instrument.ts';
