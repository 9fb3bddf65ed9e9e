import { parseEnumValue } from './enum-value.ts';

/**
 * MARKET executes at once at the best prices available; LIMIT rests at `price` or better; STOP
 * becomes a market order when the market trades through `stopPrice`; STOP_LIMIT becomes a limit
 * order at `price` when the market trades through `stopPrice`.
 */
export const OrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  STOP_LIMIT: 'STOP_LIMIT',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export function isOrderType(value: unknown): value is OrderType {
  return typeof value === 'string' && Object.hasOwn(OrderType, value);
}

/** Validates an order type; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseOrderType(text: unknown, field = 'type'): OrderType {
  return parseEnumValue(OrderType, text, field);
}

/** Whether orders of this type carry a limit `price` (required) — the others must not have one. */
export function orderTypeHasPrice(type: OrderType): boolean {
  return type === OrderType.LIMIT || type === OrderType.STOP_LIMIT;
}

/** Whether orders of this type carry a trigger `stopPrice` (required) — the others must not have one. */
export function orderTypeHasStopPrice(type: OrderType): boolean {
  return type === OrderType.STOP || type === OrderType.STOP_LIMIT;
}
