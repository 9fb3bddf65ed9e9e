import { InvalidArgumentError } from '../errors.ts';
import type { Brand } from './brand.ts';
import { quoteValue } from './identifier-text.ts';
import { isSymbolId, parseSymbolId } from './symbol-id.ts';
import type { SymbolId } from './symbol-id.ts';
import { isVenueId, parseVenueId } from './venue-id.ts';
import type { VenueId } from './venue-id.ts';

/**
 * An instrument across all venues: `<symbol>.<VENUE>`, the venue uppercased, e.g.
 * `BTC-USD.COINBASE`, `BTCUSD.BINANCEUS`, `EUR_USD.OANDA`. Symbols may contain dots and venues
 * never do, so the last dot is the separator. The text is canonical: one instrument, one string,
 * safe as a map key or in an actor identity.
 */
export type InstrumentId = Brand<string, 'InstrumentId'>;

/** An instrument id with its two parts. */
export interface InstrumentIdParts {
  readonly id: InstrumentId;
  readonly symbol: SymbolId;
  readonly venue: VenueId;
}

const EXPECTED = 'an instrument id "<SYMBOL>.<VENUE>" such as "BTC-USD.COINBASE"';

/** The id of `symbol` on `venue`; both are validated (fields `symbol` and `venue`). */
export function formatInstrumentId(symbol: string, venue: string): InstrumentId {
  return `${parseSymbolId(symbol, 'symbol')}.${parseVenueId(venue, 'venue').toUpperCase()}` as InstrumentId;
}

/** The parts of `text`, or why it is not an instrument id. */
function split(text: string): InstrumentIdParts | string {
  const dot = text.lastIndexOf('.');
  if (dot < 0) return 'no "." between symbol and venue';
  const symbol = text.slice(0, dot);
  const venueText = text.slice(dot + 1);
  if (!isSymbolId(symbol)) return `${quoteValue(symbol)} is not a venue symbol`;
  const venue = venueText.toLowerCase();
  if (venueText !== venue.toUpperCase() || !isVenueId(venue)) {
    return `${quoteValue(venueText)} is not an uppercase venue name`;
  }
  return { id: text as InstrumentId, symbol, venue };
}

/** Splits and validates `<SYMBOL>.<VENUE>`; throws `InvalidArgumentError` naming `field`. */
export function parseInstrumentIdParts(text: unknown, field = 'instrumentId'): InstrumentIdParts {
  const parts = typeof text === 'string' ? split(text) : 'not a string';
  if (typeof parts === 'string') {
    throw new InvalidArgumentError(field, `must be ${EXPECTED}, got ${quoteValue(text)}: ${parts}`);
  }
  return parts;
}

/** Validates an instrument id; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseInstrumentId(text: unknown, field = 'instrumentId'): InstrumentId {
  return parseInstrumentIdParts(text, field).id;
}

export function isInstrumentId(value: unknown): value is InstrumentId {
  return typeof value === 'string' && typeof split(value) !== 'string';
}

/**
 * The companion of the `InstrumentId` type: `InstrumentId.parse(text)` gives back
 * `{ id, symbol, venue }`; `InstrumentId.format(symbol, venue)` builds the id.
 */
export const InstrumentId = {
  parse: parseInstrumentIdParts,
  format: formatInstrumentId,
  is: isInstrumentId,
} as const;
