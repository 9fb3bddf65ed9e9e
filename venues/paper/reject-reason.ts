/** Why `MatchingEngine.submit` refused an order. Nothing is changed when an order is refused. */
export const RejectReason = {
  /** An open order of the same account already uses this client order id (Binance: unique among open orders). */
  DUPLICATE_CLIENT_ORDER_ID: 'DUPLICATE_CLIENT_ORDER_ID',
  UNKNOWN_INSTRUMENT: 'UNKNOWN_INSTRUMENT',
  /** Free balance does not cover what the order must lock (or, for a market buy, what it would cost). */
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  /** A price or stop price that is not positive, not a multiple of the tick, or outside min/max price. */
  PRICE_FILTER: 'PRICE_FILTER',
  /** A quantity that is not a multiple of the step or is outside min/max quantity. */
  LOT_SIZE: 'LOT_SIZE',
  /** price × quantity (or the quote amount) below the instrument's minimum notional. */
  MIN_NOTIONAL: 'MIN_NOTIONAL',
  /** A post-only (Binance LIMIT_MAKER) order that would have taken liquidity. */
  POST_ONLY_WOULD_TAKE: 'POST_ONLY_WOULD_TAKE',
  /** A fill-or-kill order that the book cannot fill completely right now. */
  FOK_NOT_FILLABLE: 'FOK_NOT_FILLABLE',
  /** A malformed command: missing or unexpected price, unknown side/type/time in force, bad combination. */
  INVALID_ORDER: 'INVALID_ORDER',
  /** A market order sent when the opposite side of the book is empty. */
  NO_LIQUIDITY: 'NO_LIQUIDITY',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];
