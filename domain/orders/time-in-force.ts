import { parseEnumValue } from './enum-value.ts';

/**
 * GTC: until filled or cancelled. GTD: until `expireAt`. IOC: fill what is possible at once, cancel
 * the rest. FOK: fill everything at once or nothing. DAY: until the end of the venue's trading day.
 */
export const TimeInForce = {
  GTC: 'GTC',
  GTD: 'GTD',
  IOC: 'IOC',
  FOK: 'FOK',
  DAY: 'DAY',
} as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/**
 * The time in force of an order that names none: a market order takes what it can at once and the
 * rest is cancelled (IOC: every venue's market semantics; GTC, which a resting order defaults to,
 * would be refused by OANDA for a market order); every other order rests until filled or cancelled.
 */
export function defaultTimeInForce(type: string): TimeInForce {
  return type === 'MARKET' ? TimeInForce.IOC : TimeInForce.GTC;
}

export function isTimeInForce(value: unknown): value is TimeInForce {
  return typeof value === 'string' && Object.hasOwn(TimeInForce, value);
}

/** Validates a time in force; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseTimeInForce(text: unknown, field = 'timeInForce'): TimeInForce {
  return parseEnumValue(TimeInForce, text, field);
}
