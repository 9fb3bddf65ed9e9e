import { isValidDecimalString } from '../../../domain/values/index.ts';
import { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import { MalformedPayloadError } from './parse-error.ts';

/** Field readers for decoded OANDA JSON: each throws MalformedPayloadError naming kind and field. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown, kind: string, field = '$'): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedPayloadError(kind, field, 'expected an object');
  }
  return value as JsonObject;
}

export function str(o: JsonObject, key: string, kind: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new MalformedPayloadError(kind, key, 'expected a non-empty string');
  return v;
}

export function optStr(o: JsonObject, key: string, kind: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new MalformedPayloadError(kind, key, 'expected a string');
  return v;
}

export function bool(o: JsonObject, key: string, kind: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new MalformedPayloadError(kind, key, 'expected a boolean');
  return v;
}

export function int(o: JsonObject, key: string, kind: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new MalformedPayloadError(kind, key, 'expected an integer');
  return v;
}

function decimalText(o: JsonObject, key: string, kind: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !isValidDecimalString(v)) {
    throw new MalformedPayloadError(kind, key, `expected a decimal string, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function price(o: JsonObject, key: string, kind: string): Price {
  return Price.parse(decimalText(o, key, kind), `${kind}.${key}`);
}

export function optPrice(o: JsonObject, key: string, kind: string): Price | undefined {
  return o[key] === undefined ? undefined : price(o, key, kind);
}

/** A signed decimal (OANDA units: positive buys, negative sells). */
export function decimal(o: JsonObject, key: string, kind: string): FixedDecimal {
  return FixedDecimal.parse(decimalText(o, key, kind), `${kind}.${key}`);
}

export function optDecimal(o: JsonObject, key: string, kind: string): FixedDecimal | undefined {
  return o[key] === undefined ? undefined : decimal(o, key, kind);
}

export function quantity(o: JsonObject, key: string, kind: string): Quantity {
  return Quantity.parse(decimalText(o, key, kind), `${kind}.${key}`);
}

/** A transaction or order id: a decimal integer string. */
export function id(o: JsonObject, key: string, kind: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !/^[0-9]{1,20}$/.test(v)) {
    throw new MalformedPayloadError(kind, key, `expected an id (digits), got ${JSON.stringify(v)}`);
  }
  return v;
}

export function optId(o: JsonObject, key: string, kind: string): string | undefined {
  return o[key] === undefined ? undefined : id(o, key, kind);
}

/** Compares two decimal id strings numerically (ids grow without bound; no leading zeros). */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
