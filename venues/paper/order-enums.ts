import { LiquiditySide, OrderSide, OrderType, TimeInForce } from '../../domain/orders/index.ts';

/**
 * The order vocabulary of the paper venue: the domain's sides, types and liquidity sides under
 * `Paper` names (so code importing both reads clearly), the subset of time-in-force values that a
 * matching engine decides alone (no GTD/DAY: the engine has no calendar), and Binance-style status
 * and execution types, which the venue simulators built on this engine speak.
 */

export const PaperOrderSide = OrderSide;
export type PaperOrderSide = OrderSide;

/** STOP becomes a market order and STOP_LIMIT a limit order once the last trade reaches `stopPrice`. */
export const PaperOrderType = OrderType;
export type PaperOrderType = OrderType;

/** GTC rests until filled or cancelled; IOC fills what it can now and expires the rest; FOK fills all now or is rejected. */
export const PaperTimeInForce = {
  GTC: TimeInForce.GTC,
  IOC: TimeInForce.IOC,
  FOK: TimeInForce.FOK,
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
export const PaperLiquidity = LiquiditySide;
export type PaperLiquidity = LiquiditySide;

export function isPaperOrderSide(value: unknown): value is PaperOrderSide {
  return value === 'BUY' || value === 'SELL';
}

export function isPaperOrderType(value: unknown): value is PaperOrderType {
  return value === 'LIMIT' || value === 'MARKET' || value === 'STOP' || value === 'STOP_LIMIT';
}

export function isPaperTimeInForce(value: unknown): value is PaperTimeInForce {
  return value === 'GTC' || value === 'IOC' || value === 'FOK';
}

/** FILLED, CANCELED, REJECTED and EXPIRED orders never change again. */
export function isClosedStatus(status: PaperOrderStatus): boolean {
  return status !== 'NEW' && status !== 'PARTIALLY_FILLED';
}
