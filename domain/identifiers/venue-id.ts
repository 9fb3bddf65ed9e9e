import type { Brand } from './brand.ts';
import { checkIdentifier } from './identifier-text.ts';

/**
 * A trading venue, lowercase letters and digits (`binanceus`, `coinbase`, `oanda`, `paper`). It is
 * also the key of the venue's actor (`venue/<venueId>`), hence no separators.
 */
export type VenueId = Brand<string, 'VenueId'>;

const VENUE_ID = /^[a-z][a-z0-9]{1,31}$/;
const EXPECTED = 'a venue name of 2 to 32 lowercase letters or digits, starting with a letter';

/** Validates a venue id; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseVenueId(text: unknown, field = 'venueId'): VenueId {
  return checkIdentifier(text, field, VENUE_ID, EXPECTED) as VenueId;
}

export function isVenueId(value: unknown): value is VenueId {
  return typeof value === 'string' && VENUE_ID.test(value);
}

/** The venues Ninja Gekko has adapters for. Other well-formed ids are valid (e.g. test venues). */
export const Venues = {
  BINANCEUS: parseVenueId('binanceus'),
  COINBASE: parseVenueId('coinbase'),
  OANDA: parseVenueId('oanda'),
  PAPER: parseVenueId('paper'),
} as const;
