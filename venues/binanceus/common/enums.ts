/** Binance.US wire enums (rest-api.md "ENUM definitions"), as const objects with same-named types. */
export const BinanceOrderSide = { BUY: 'BUY', SELL: 'SELL' } as const;
export type BinanceOrderSide = (typeof BinanceOrderSide)[keyof typeof BinanceOrderSide];

export const BinanceOrderType = {
  LIMIT: 'LIMIT',
  MARKET: 'MARKET',
  STOP_LOSS: 'STOP_LOSS',
  STOP_LOSS_LIMIT: 'STOP_LOSS_LIMIT',
  TAKE_PROFIT: 'TAKE_PROFIT',
  TAKE_PROFIT_LIMIT: 'TAKE_PROFIT_LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
} as const;
export type BinanceOrderType = (typeof BinanceOrderType)[keyof typeof BinanceOrderType];

export const BinanceTimeInForce = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;
export type BinanceTimeInForce = (typeof BinanceTimeInForce)[keyof typeof BinanceTimeInForce];

export const BinanceOrderStatus = {
  NEW: 'NEW',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED_IN_MATCH',
} as const;
export type BinanceOrderStatus = (typeof BinanceOrderStatus)[keyof typeof BinanceOrderStatus];

export const BinanceExecutionType = {
  NEW: 'NEW',
  CANCELED: 'CANCELED',
  REPLACED: 'REPLACED',
  REJECTED: 'REJECTED',
  TRADE: 'TRADE',
  EXPIRED: 'EXPIRED',
  TRADE_PREVENTION: 'TRADE_PREVENTION',
} as const;
export type BinanceExecutionType = (typeof BinanceExecutionType)[keyof typeof BinanceExecutionType];

export const NewOrderRespType = { ACK: 'ACK', RESULT: 'RESULT', FULL: 'FULL' } as const;
export type NewOrderRespType = (typeof NewOrderRespType)[keyof typeof NewOrderRespType];

export { isOneOf } from '../../common/parse-fields.ts';
