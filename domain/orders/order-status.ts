import { parseEnumValue } from './enum-value.ts';

/**
 * Where an order is in its life. NEW: created here, not yet sent. PENDING_NEW: sent, the venue has
 * not answered. ACKNOWLEDGED: working at the venue, nothing filled. PARTIALLY_FILLED: working, part
 * filled. PENDING_CANCEL: a cancel was sent and not yet answered. The last four are terminal.
 * Transitions between them are listed in `ORDER_TRANSITIONS` (order-transitions.ts).
 */
export const OrderStatus = {
  NEW: 'NEW',
  PENDING_NEW: 'PENDING_NEW',
  ACKNOWLEDGED: 'ACKNOWLEDGED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  FILLED: 'FILLED',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && Object.hasOwn(OrderStatus, value);
}

/** Validates an order status; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseOrderStatus(text: unknown, field = 'status'): OrderStatus {
  return parseEnumValue(OrderStatus, text, field);
}

/** A terminal order is finished: no event moves it again. */
export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return (
    status === OrderStatus.FILLED ||
    status === OrderStatus.CANCELLED ||
    status === OrderStatus.REJECTED ||
    status === OrderStatus.EXPIRED
  );
}
