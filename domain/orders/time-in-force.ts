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

export function isTimeInForce(value: unknown): value is TimeInForce {
  return typeof value === 'string' && Object.hasOwn(TimeInForce, value);
}

/** Validates a time in force; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseTimeInForce(text: unknown, field = 'timeInForce'): TimeInForce {
  return parseEnumValue(TimeInForce, text, field);
}
