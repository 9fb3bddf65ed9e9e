// The wire form of a venue's tradable instruments and capabilities (answer to `venue-instruments`):
// JSON-safe, decimals as their exact text, so it travels between nodes unchanged. `from*` validates
// it back into domain values, throwing InvalidArgumentError naming the first bad field.
import { InvalidArgumentError } from '../../domain/errors.ts';
import { createInstrument, parseOrderType, parseTimeInForce, parseVenueId } from '../../domain/index.ts';
import type { Instrument, VenueId } from '../../domain/index.ts';
import { Money, Price, Quantity } from '../../domain/values/index.ts';
import type { VenueCapabilities } from '../../venues/venue-connector.ts';

export interface InstrumentWire {
  readonly id: string;
  readonly symbol: string;
  readonly venue: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQuantity: string;
  readonly maxQuantity: string;
  /** In the quote asset. */
  readonly minNotional: string;
  readonly minPrice?: string;
  readonly maxPrice?: string;
}

export interface VenueCapabilitiesWire {
  readonly orderTypes: readonly string[];
  readonly timeInForce: readonly string[];
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
}

/** What `venue-instruments` answers: everything the venue trades and what orders it accepts. */
export interface VenueInstrumentsWire {
  readonly venue: string;
  readonly instruments: readonly InstrumentWire[];
  readonly capabilities: VenueCapabilitiesWire;
}

/** The same, validated into domain values. */
export interface VenueInstruments {
  readonly venue: VenueId;
  readonly instruments: readonly Instrument[];
  readonly capabilities: VenueCapabilities;
}

export function toInstrumentWire(i: Instrument): InstrumentWire {
  return {
    id: i.id,
    symbol: i.symbol,
    venue: i.venue,
    baseAsset: i.baseAsset,
    quoteAsset: i.quoteAsset,
    tickSize: i.tickSize.toString(),
    stepSize: i.stepSize.toString(),
    minQuantity: i.minQuantity.toString(),
    maxQuantity: i.maxQuantity.toString(),
    minNotional: i.minNotional.toString(),
    ...(i.minPrice === undefined ? {} : { minPrice: i.minPrice.toString() }),
    ...(i.maxPrice === undefined ? {} : { maxPrice: i.maxPrice.toString() }),
  };
}

export function toVenueInstrumentsWire(
  venue: VenueId,
  instruments: readonly Instrument[],
  capabilities: VenueCapabilities,
): VenueInstrumentsWire {
  return {
    venue,
    instruments: instruments.map(toInstrumentWire),
    capabilities: {
      orderTypes: [...capabilities.orderTypes],
      timeInForce: [...capabilities.timeInForce],
      postOnly: capabilities.postOnly,
      reduceOnly: capabilities.reduceOnly,
    },
  };
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, field: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new InvalidArgumentError(`${field}.${key}`, 'must be a string');
  return value;
}

function array(o: Record<string, unknown>, key: string, field: string): readonly unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new InvalidArgumentError(`${field}.${key}`, 'must be an array');
  return value;
}

function flag(o: Record<string, unknown>, key: string, field: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${field}.${key}`, 'must be a boolean');
  return value;
}

export function fromInstrumentWire(value: unknown, field = 'instrument'): Instrument {
  const o = record(value, field);
  const quote = text(o, 'quoteAsset', field);
  const optionalPrice = (key: string): Price | undefined =>
    o[key] === undefined ? undefined : Price.parse(text(o, key, field), `${field}.${key}`);
  const minPrice = optionalPrice('minPrice');
  const maxPrice = optionalPrice('maxPrice');
  const instrument = createInstrument({
    venue: text(o, 'venue', field),
    symbol: text(o, 'symbol', field),
    baseAsset: text(o, 'baseAsset', field),
    quoteAsset: quote,
    tickSize: Price.parse(text(o, 'tickSize', field), `${field}.tickSize`),
    stepSize: Quantity.parse(text(o, 'stepSize', field), `${field}.stepSize`),
    minQuantity: Quantity.parse(text(o, 'minQuantity', field), `${field}.minQuantity`),
    maxQuantity: Quantity.parse(text(o, 'maxQuantity', field), `${field}.maxQuantity`),
    minNotional: Money.parse(text(o, 'minNotional', field), quote, `${field}.minNotional`),
    ...(minPrice === undefined ? {} : { minPrice }),
    ...(maxPrice === undefined ? {} : { maxPrice }),
  });
  if (instrument.id !== text(o, 'id', field)) {
    throw new InvalidArgumentError(`${field}.id`, `must be ${instrument.id} (symbol@venue)`);
  }
  return instrument;
}

export function fromVenueInstrumentsWire(value: unknown, field = 'venueInstruments'): VenueInstruments {
  const o = record(value, field);
  const caps = record(o['capabilities'], `${field}.capabilities`);
  const capsField = `${field}.capabilities`;
  return {
    venue: parseVenueId(o['venue'], `${field}.venue`),
    instruments: array(o, 'instruments', field).map((i, n) =>
      fromInstrumentWire(i, `${field}.instruments[${n}]`),
    ),
    capabilities: {
      orderTypes: array(caps, 'orderTypes', capsField).map((t, n) =>
        parseOrderType(t, `${capsField}.orderTypes[${n}]`),
      ),
      timeInForce: array(caps, 'timeInForce', capsField).map((t, n) =>
        parseTimeInForce(t, `${capsField}.timeInForce[${n}]`),
      ),
      postOnly: flag(caps, 'postOnly', capsField),
      reduceOnly: flag(caps, 'reduceOnly', capsField),
    },
  };
}
