/**
 * The order vocabulary of the paper venue. The strings are the same as domain/orders (OrderSide,
 * OrderType, TimeInForce, LiquiditySide), which had not landed when this was written; the names carry
 * a `Paper` prefix so both can be imported side by side. The paper venue supports the subset of
 * time-in-force values that a matching engine decides alone (no GTD/DAY: the engine has no calendar).
 */

export const PaperOrderSide = {
  BUY: 'BUY',
  SELL: 'SELL',
} as const;
export type PaperOrderSide = (typeof PaperOrderSide)[keyof typeof PaperOrderSide];

/** STOP becomes a market order and STOP_LIMIT a limit order once the last trade reaches `stopPrice`. */
export const PaperOrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  STOP_LIMIT: 'STOP_LIMIT',
} as const;
export type PaperOrderType = (typeof PaperOrderType)[keyof typeof PaperOrderType];

/** GTC rests until filled or cancelled; IOC fills what it can now and expires the rest; FOK fills all now or is rejected. */
export const PaperTimeInForce = {
  GTC: 'GTC',
  IOC: 'IOC',
  FOK: 'FOK',
} as const;
export type PaperTimeInForce = (typeof PaperTimeInForce)[keyof typeof PaperTimeInForce];

/** Binance-style order status (note the single L in CANCELED, as Binance spells it). */
export const PaperOrderStatus = {
  NEW: 'NEW',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const;
export type PaperOrderStatus = (typeof PaperOrderStatus)[keyof typeof PaperOrderStatus];

/** Why an order event was emitted (Binance executionReport `x`). */
export const ExecutionType = {
  NEW: 'NEW',
  TRADE: 'TRADE',
  CANCELED: 'CANCELED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const;
export type ExecutionType = (typeof ExecutionType)[keyof typeof ExecutionType];

/** Whether a fill added liquidity (MAKER: the resting order) or took it (TAKER: the incoming order). */
export const PaperLiquidity = {
  MAKER: 'MAKER',
  TAKER: 'TAKER',
} as const;
export type PaperLiquidity = (typeof PaperLiquidity)[keyof typeof PaperLiquidity];

export function isPaperOrderSide(value: unknown): value is PaperOrderSide {
  return value === 'BUY' || value === 'SELL';
}

export function isPaperOrderType(value: unknown): value is PaperOrderType {
  return typeof value === 'string' && Object.hasOwn(PaperOrderType, value);
}

export function isPaperTimeInForce(value: unknown): value is PaperTimeInForce {
  return value === 'GTC' || value === 'IOC' || value === 'FOK';
}

/** FILLED, CANCELED, REJECTED and EXPIRED orders never change again. */
export function isClosedStatus(status: PaperOrderStatus): boolean {
  return status !== 'NEW' && status !== 'PARTIALLY_FILLED';
}
