import {
  decimalSyntaxError,
  InternalError,
  InvalidArgumentError,
  parseInstrumentIdParts,
} from './internal.ts';
import type { ProtoDecimal, ProtoInstrumentId, Timestamp } from './internal.ts';
import type { DecimalString, InstrumentId, InstrumentInput, Unrecognized } from './types.ts';

/** A decimal string checked against the API's grammar before it is sent; INVALID_ARGUMENT names `field`. */
export function decimalIn(value: DecimalString, field: string): ProtoDecimal {
  const problem = decimalSyntaxError(value);
  if (problem !== undefined)
    throw new InvalidArgumentError(field, `${JSON.stringify(value)} is not a decimal: ${problem}`);
  return { value };
}

export function optionalDecimalIn(value: DecimalString | undefined, field: string): ProtoDecimal | undefined {
  return value === undefined ? undefined : decimalIn(value, field);
}

/** The decimal as the gateway wrote it (its precision kept), undefined when the field is unset. */
export function decimalOut(value: ProtoDecimal | undefined): DecimalString | undefined {
  return value === undefined || value.value === '' ? undefined : value.value;
}

/** "BTC-USD.PAPER" → {symbol: "BTC-USD", venue: "paper"}; an object is checked and passed on. */
export function parseInstrumentId(input: InstrumentInput, field = 'instrument_id'): InstrumentId {
  if (typeof input !== 'string') {
    if (input.symbol.length === 0) throw new InvalidArgumentError(`${field}.symbol`, 'must not be empty');
    if (input.venue.length === 0) throw new InvalidArgumentError(`${field}.venue`, 'must not be empty');
    return { symbol: input.symbol, venue: input.venue.toLowerCase() };
  }
  // The venue part may be written in any case ("BTC-USD.paper"); the domain parser wants it upper case.
  const dot = input.lastIndexOf('.');
  const normalised = dot < 0 ? input : `${input.slice(0, dot)}.${input.slice(dot + 1).toUpperCase()}`;
  const parts = parseInstrumentIdParts(normalised, field);
  return { symbol: parts.symbol, venue: parts.venue };
}

export function instrumentIn(input: InstrumentInput, field = 'instrument_id'): ProtoInstrumentId {
  return parseInstrumentId(input, field);
}

export function instrumentOut(value: ProtoInstrumentId | undefined): InstrumentId | undefined {
  return value === undefined ? undefined : { symbol: value.symbol, venue: value.venue };
}

/** The text form "BTC-USD.PAPER". */
export function formatInstrumentId(id: InstrumentId): string {
  return `${id.symbol}.${id.venue.toUpperCase()}`;
}

export function timestampIn(date: Date, field: string): Timestamp {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(field, 'is not a valid date');
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function timestampOut(value: Timestamp | undefined): Date | undefined {
  if (value === undefined) return undefined;
  return new Date(Number(value.seconds) * 1000 + Math.floor(value.nanos / 1_000_000));
}

/** Maps a generated proto enum (`ORDER_SIDE_BUY = 1`) to short names (`BUY`) and back. */
export interface EnumCodec<N extends string> {
  readonly names: readonly N[];
  toProto(name: N, field: string): number;
  fromProto(value: number): N | Unrecognized;
}

export function enumCodec<N extends string>(
  prefix: string,
  protoEnum: Readonly<Record<string, string | number>>,
  names: readonly N[],
): EnumCodec<N> {
  const byValue = new Map<number, N>();
  for (const name of names) {
    const value = protoEnum[`${prefix}${name}`];
    if (typeof value !== 'number') throw new InternalError(`proto enum has no ${prefix}${name}`);
    byValue.set(value, name);
  }
  return {
    names,
    toProto(name, field) {
      const value = protoEnum[`${prefix}${name}`];
      if (typeof value !== 'number' || !names.includes(name)) {
        throw new InvalidArgumentError(field, `${JSON.stringify(name)} is not one of ${names.join(', ')}`);
      }
      return value;
    },
    fromProto(value) {
      return byValue.get(value) ?? 'UNSPECIFIED';
    },
  };
}
