import { InvalidArgumentError } from '../errors.ts';
import { quoteValue } from './identifier-text.ts';

const ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL = '00000000-0000-0000-0000-000000000000';
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * A UUID in canonical form (RFC 9562: accepted in any case, written lowercase). The nil and max
 * UUIDs are refused: as ids they are almost always an unset default, not a real entity.
 */
export function parseUuidText(text: unknown, field: string, what: string): string {
  const expected = `${what} (a UUID such as "0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b")`;
  if (typeof text !== 'string' || !ANY_CASE.test(text)) {
    throw new InvalidArgumentError(field, `must be ${expected}, got ${quoteValue(text)}`);
  }
  const canonical = text.toLowerCase();
  if (canonical === NIL || canonical === MAX) {
    throw new InvalidArgumentError(field, `must be ${expected}, got the reserved UUID ${quoteValue(text)}`);
  }
  return canonical;
}

/** True for a canonical (lowercase), non-nil, non-max UUID. */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL.test(value) && value !== NIL && value !== MAX;
}
