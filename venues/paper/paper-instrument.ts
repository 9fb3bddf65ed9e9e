import { InvalidArgumentError } from '../../domain/errors.ts';
import { MAX_PRECISION } from '../../domain/values/index.ts';
import type { Instrument } from '../../domain/instruments/index.ts';
import type { FixedPoint, Price, Quantity } from '../../domain/values/index.ts';

/** An instrument described with the paper engine's own field names. */
export interface PaperInstrumentSpec {
  /** Canonical instrument id, e.g. `BTCUSD.BINANCEUS`. */
  readonly id: string;
  /** The venue's symbol, e.g. `BTCUSD`. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Prices must be positive whole multiples of it. */
  readonly tickSize: Price;
  /** Quantities must be whole multiples of it. */
  readonly stepSize: Quantity;
  readonly minQty: Quantity;
  readonly maxQty: Quantity;
  /** Smallest price × quantity accepted, in the quote asset (a FixedDecimal or a Money). */
  readonly minNotional: FixedPoint;
  readonly minPrice?: Price;
  readonly maxPrice?: Price;
}

/** Either the engine's own spec or a domain `Instrument` (domain/instruments). */
export type PaperInstrument = PaperInstrumentSpec | Instrument;

/**
 * An instrument's rules as the engine works with them: every bound is a raw integer at the
 * instrument's own scale (prices at the tick's precision, quantities at the step's, notionals at
 * their sum), so the hot path compares bigints and never rescales.
 */
export interface InstrumentRules {
  readonly id: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: Price;
  readonly stepSize: Quantity;
  readonly pricePrecision: number;
  readonly quantityPrecision: number;
  /** pricePrecision + quantityPrecision: the precision of an exact price × quantity. */
  readonly notionalPrecision: number;
  readonly tickRaw: bigint;
  readonly stepRaw: bigint;
  readonly minQtyRaw: bigint;
  readonly maxQtyRaw: bigint;
  /** At notionalPrecision, rounded up so that a notional passes exactly when it is ≥ the minimum. */
  readonly minNotionalRaw: bigint;
  /** At pricePrecision; undefined when there is no bound. */
  readonly minPriceRaw: bigint | undefined;
  readonly maxPriceRaw: bigint | undefined;
}

const POW10: readonly bigint[] = Array.from({ length: 4 * MAX_PRECISION + 1 }, (_, i) => 10n ** BigInt(i));

/** 10^n for 0 ≤ n ≤ 72. */
export function pow10(n: number): bigint {
  const value = POW10[n];
  if (value === undefined) throw new RangeError(`10^${n} is outside the table`);
  return value;
}

/**
 * `value` as a raw integer at `precision`, or undefined when it has non-zero digits beyond it
 * (so it is not a multiple of 10^-precision).
 */
export function rawAt(value: FixedPoint, precision: number): bigint | undefined {
  const diff = value.precision - precision;
  if (diff === 0) return value.raw;
  if (diff < 0) return value.raw * pow10(-diff);
  const scale = pow10(diff);
  return value.raw % scale === 0n ? value.raw / scale : undefined;
}

/** `value` at `precision`, rounded toward +∞ when digits are dropped. */
function rawAtCeil(value: FixedPoint, precision: number): bigint {
  const diff = value.precision - precision;
  if (diff <= 0) return value.raw * pow10(-diff);
  const scale = pow10(diff);
  const q = value.raw / scale;
  return value.raw % scale > 0n ? q + 1n : q;
}

function fail(id: string, field: string, message: string): never {
  throw new InvalidArgumentError(`instruments[${id}].${field}`, message);
}

function isFixedPoint(value: unknown): value is FixedPoint {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FixedPoint).raw === 'bigint' &&
    Number.isInteger((value as FixedPoint).precision)
  );
}

/** Validates an instrument and derives its raw-integer rules; throws `InvalidArgumentError` naming the field. */
export function instrumentRules(instrument: PaperInstrument): InstrumentRules {
  const spec: PaperInstrumentSpec =
    'base' in instrument
      ? instrument
      : {
          id: instrument.id,
          symbol: instrument.symbol,
          base: instrument.baseAsset,
          quote: instrument.quoteAsset,
          tickSize: instrument.tickSize,
          stepSize: instrument.stepSize,
          minQty: instrument.minQuantity,
          maxQty: instrument.maxQuantity,
          minNotional: instrument.minNotional,
          ...(instrument.minPrice === undefined ? {} : { minPrice: instrument.minPrice }),
          ...(instrument.maxPrice === undefined ? {} : { maxPrice: instrument.maxPrice }),
        };
  const id = spec.id;
  if (typeof id !== 'string' || id.length === 0) fail(String(id), 'id', 'must be a non-empty string');
  for (const field of ['symbol', 'base', 'quote'] as const) {
    const text = spec[field];
    if (typeof text !== 'string' || !/^[A-Za-z0-9._/-]{1,32}$/.test(text)) {
      fail(id, field, `must be 1–32 letters, digits or . _ / -, got ${JSON.stringify(text)}`);
    }
  }
  if (spec.base === spec.quote) fail(id, 'quote', `must differ from base ${spec.base}`);
  for (const field of ['tickSize', 'stepSize', 'minQty', 'maxQty', 'minNotional'] as const) {
    if (!isFixedPoint(spec[field]))
      fail(id, field, 'must be a fixed-point value (Price, Quantity, FixedDecimal)');
  }
  if (spec.tickSize.raw <= 0n)
    fail(id, 'tickSize', `must be greater than zero, got ${spec.tickSize.toString()}`);
  if (spec.stepSize.raw <= 0n)
    fail(id, 'stepSize', `must be greater than zero, got ${spec.stepSize.toString()}`);
  const pricePrecision = spec.tickSize.precision;
  const quantityPrecision = spec.stepSize.precision;
  const notionalPrecision = pricePrecision + quantityPrecision;
  if (notionalPrecision > MAX_PRECISION) {
    fail(
      id,
      'stepSize',
      `tick and step precisions add up to ${notionalPrecision}, more than ${MAX_PRECISION}`,
    );
  }
  const minQtyRaw = rawAtCeil(spec.minQty, quantityPrecision);
  const maxQtyRaw =
    rawAt(spec.maxQty, quantityPrecision) ?? fail(id, 'maxQty', 'has more decimals than the step');
  if (maxQtyRaw <= 0n) fail(id, 'maxQty', 'must be greater than zero');
  if (minQtyRaw > maxQtyRaw) fail(id, 'minQty', 'is above maxQty');
  if (spec.minNotional.raw < 0n) fail(id, 'minNotional', 'must not be negative');
  const boundRaw = (field: 'minPrice' | 'maxPrice'): bigint | undefined => {
    const bound = spec[field];
    if (bound === undefined) return undefined;
    const raw = rawAt(bound, pricePrecision) ?? fail(id, field, 'has more decimals than the tick');
    if (raw <= 0n) fail(id, field, 'must be greater than zero');
    return raw;
  };
  const minPriceRaw = boundRaw('minPrice');
  const maxPriceRaw = boundRaw('maxPrice');
  if (minPriceRaw !== undefined && maxPriceRaw !== undefined && minPriceRaw > maxPriceRaw) {
    fail(id, 'minPrice', 'is above maxPrice');
  }
  return {
    id,
    symbol: spec.symbol,
    base: spec.base,
    quote: spec.quote,
    tickSize: spec.tickSize,
    stepSize: spec.stepSize,
    pricePrecision,
    quantityPrecision,
    notionalPrecision,
    tickRaw: spec.tickSize.raw,
    stepRaw: spec.stepSize.raw,
    minQtyRaw,
    maxQtyRaw,
    minNotionalRaw: rawAtCeil(spec.minNotional, notionalPrecision),
    minPriceRaw,
    maxPriceRaw,
  };
}
