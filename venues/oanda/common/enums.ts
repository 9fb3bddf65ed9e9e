/** OANDA v20 vocabulary used by the connector (transaction-df, order-df), as const objects. */

export const OandaOrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  MARKET_IF_TOUCHED: 'MARKET_IF_TOUCHED',
  TAKE_PROFIT: 'TAKE_PROFIT',
  STOP_LOSS: 'STOP_LOSS',
  TRAILING_STOP_LOSS: 'TRAILING_STOP_LOSS',
} as const;
export type OandaOrderType = (typeof OandaOrderType)[keyof typeof OandaOrderType];

/** MARKET accepts FOK and IOC only; LIMIT and STOP accept all five. */
export const OandaTimeInForce = { GTC: 'GTC', GTD: 'GTD', GFD: 'GFD', FOK: 'FOK', IOC: 'IOC' } as const;
export type OandaTimeInForce = (typeof OandaTimeInForce)[keyof typeof OandaTimeInForce];

export const OandaOrderState = {
  PENDING: 'PENDING',
  FILLED: 'FILLED',
  TRIGGERED: 'TRIGGERED',
  CANCELLED: 'CANCELLED',
} as const;
export type OandaOrderState = (typeof OandaOrderState)[keyof typeof OandaOrderState];

/** The transaction types the connector acts on; others are parsed as `OTHER` and only advance the id. */
export const OandaTransactionType = {
  MARKET_ORDER: 'MARKET_ORDER',
  LIMIT_ORDER: 'LIMIT_ORDER',
  STOP_ORDER: 'STOP_ORDER',
  MARKET_ORDER_REJECT: 'MARKET_ORDER_REJECT',
  LIMIT_ORDER_REJECT: 'LIMIT_ORDER_REJECT',
  STOP_ORDER_REJECT: 'STOP_ORDER_REJECT',
  ORDER_FILL: 'ORDER_FILL',
  ORDER_CANCEL: 'ORDER_CANCEL',
  ORDER_CANCEL_REJECT: 'ORDER_CANCEL_REJECT',
} as const;
export type OandaTransactionType = (typeof OandaTransactionType)[keyof typeof OandaTransactionType];

/** Part of the documented OrderCancelReason enum: the reasons the simulator produces. */
export const OandaCancelReason = {
  CLIENT_REQUEST: 'CLIENT_REQUEST',
  TIME_IN_FORCE_EXPIRED: 'TIME_IN_FORCE_EXPIRED',
  INSUFFICIENT_LIQUIDITY: 'INSUFFICIENT_LIQUIDITY',
  INSUFFICIENT_MARGIN: 'INSUFFICIENT_MARGIN',
  MARKET_HALTED: 'MARKET_HALTED',
  BOUNDS_VIOLATION: 'BOUNDS_VIOLATION',
  FIFO_VIOLATION: 'FIFO_VIOLATION',
} as const;
export type OandaCancelReason = (typeof OandaCancelReason)[keyof typeof OandaCancelReason];
