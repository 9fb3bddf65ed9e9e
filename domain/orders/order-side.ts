import { parseEnumValue } from './enum-value.ts';

export const OrderSide = {
  BUY: 'BUY',
  SELL: 'SELL',
} as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export function isOrderSide(value: unknown): value is OrderSide {
  return typeof value === 'string' && Object.hasOwn(OrderSide, value);
}

/** Validates an order side; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseOrderSide(text: unknown, field = 'side'): OrderSide {
  return parseEnumValue(OrderSide, text, field);
}
