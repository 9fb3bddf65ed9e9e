export { applyOrderEvent } from './apply-order-event.ts';
export {
  DuplicateFillError,
  IllegalOrderTransitionError,
  OverfillError,
  VenueOrderIdMismatchError,
} from './errors.ts';
export { LiquiditySide, isLiquiditySide, parseLiquiditySide } from './liquidity-side.ts';
export { exactNotional } from './notional.ts';
export { averageFillPrice, createOrder, isOrderOpen, remainingQuantity } from './order.ts';
export type { Order, OrderRequest } from './order.ts';
export { OrderEvent, OrderEventKind } from './order-events.ts';
export type {
  OrderAcknowledged,
  OrderCancelled,
  OrderCancelRejected,
  OrderCancelRequested,
  OrderEventBase,
  OrderExpired,
  OrderFilled,
  OrderRejected,
  OrderSubmitted,
} from './order-events.ts';
export { OrderSide, isOrderSide, parseOrderSide } from './order-side.ts';
export { OrderStatus, isOrderStatus, isTerminalOrderStatus, parseOrderStatus } from './order-status.ts';
export { ORDER_TRANSITIONS, canApplyOrderEvent, orderTransitionTargets } from './order-transitions.ts';
export type { OrderTransitionTable } from './order-transitions.ts';
export {
  OrderType,
  isOrderType,
  orderTypeHasPrice,
  orderTypeHasStopPrice,
  parseOrderType,
} from './order-type.ts';
export { TimeInForce, defaultTimeInForce, isTimeInForce, parseTimeInForce } from './time-in-force.ts';
