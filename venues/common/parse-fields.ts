import { InvalidArgumentError, OutOfRangeError } from '../../domain/errors.ts';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { parseRfc3339 } from './utc-time.ts';

// Field readers for decoded venue JSON, shared by every adapter: each throws MalformedPayloadError
// naming the payload kind and the field.

// Bound parsers: the static methods read `this` (the class), so they are not passed around bare.
export const parsePrice = (text: string, field: string): Price => Price.parse(text, field);
export const parseQuantity = (text: string, field: string): Quantity => Quantity.parse(text, field);
export const parseFixedDecimal = (text: string, field: string): FixedDecimal =>
  FixedDecimal.parse(text, field);

/** A JSON object as it came off the wire, before its shape is checked. */
export type WireObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown, kind: string, field = '$'): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedPayloadError(kind, field, `expected an object, got ${describe(value)}`);
  }
  return value as WireObject;
}

export function asArray(value: unknown, kind: string, field: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new MalformedPayloadError(kind, field, `expected an array, got ${describe(value)}`);
  return value;
}

export function str(o: WireObject, key: string, kind: string): string {
  const v = o[key];
  if (typeof v !== 'string')
    throw new MalformedPayloadError(kind, key, `expected a string, got ${describe(v)}`);
  return v;
}

export function optStr(o: WireObject, key: string, kind: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new MalformedPayloadError(kind, key, `expected a string, got ${describe(v)}`);
  return v;
}

/** A safe integer (ids, millisecond times, `sequence_num`); venue ids stay below 2^53. */
export function int(o: WireObject, key: string, kind: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new MalformedPayloadError(kind, key, `expected an integer, got ${describe(v)}`);
  }
  return v;
}

export function bool(o: WireObject, key: string, kind: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean')
    throw new MalformedPayloadError(kind, key, `expected a boolean, got ${describe(v)}`);
  return v;
}

export function optBool(o: WireObject, key: string, kind: string): boolean | undefined {
  return o[key] === undefined || o[key] === null ? undefined : bool(o, key, kind);
}

export function price(o: WireObject, key: string, kind: string): Price {
  return decimal(o[key], kind, key, parsePrice);
}

export function quantity(o: WireObject, key: string, kind: string): Quantity {
  return decimal(o[key], kind, key, parseQuantity);
}

export function signedDecimal(o: WireObject, key: string, kind: string): FixedDecimal {
  return decimal(o[key], kind, key, parseFixedDecimal);
}

/** An optional price where Coinbase writes "" or "0" for "none" (order fields of other order types). */
export function optPrice(o: WireObject, key: string, kind: string): Price | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  const p = decimal(v, kind, key, parsePrice);
  return p.isZero() ? undefined : p;
}

/** Runs a strict decimal parser, turning its error into a MalformedPayloadError naming the field. */
export function decimal<T>(
  text: unknown,
  kind: string,
  field: string,
  parse: (t: string, f: string) => T,
): T {
  if (typeof text !== 'string') {
    throw new MalformedPayloadError(kind, field, `expected a decimal string, got ${describe(text)}`);
  }
  try {
    return parse(text, field);
  } catch (error) {
    if (error instanceof InvalidArgumentError || error instanceof OutOfRangeError) {
      throw new MalformedPayloadError(kind, field, error.message, { cause: error });
    }
    throw error;
  }
}

/** An RFC 3339 time (nanosecond fractions allowed) as epoch milliseconds. */
export function time(o: WireObject, key: string, kind: string): number {
  const text = str(o, key, kind);
  const ms = parseRfc3339(text);
  if (ms === undefined)
    throw new MalformedPayloadError(
      kind,
      key,
      `not an RFC 3339 time of a date and time of day that exist: ${text.slice(0, 40)}`,
    );
  return ms;
}

export function optTime(o: WireObject, key: string, kind: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  return time(o, key, kind);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** JSON.parse that reports invalid JSON as a MalformedPayloadError. */
export function parseJson(text: string, kind: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedPayloadError(kind, '$', 'invalid JSON', { cause: error });
  }
}

export function isOneOf<T extends string>(values: Readonly<Record<string, T>>, value: unknown): value is T {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(values, value);
}

/** The value at `key` when it is one of the venue's enum values; MalformedPayloadError otherwise. */
export function oneOf<T extends string>(
  values: Readonly<Record<string, T>>,
  o: WireObject,
  key: string,
  kind: string,
): T {
  const v = o[key];
  if (!isOneOf(values, v)) throw new MalformedPayloadError(kind, key, `unknown value ${JSON.stringify(v)}`);
  return v;
}
