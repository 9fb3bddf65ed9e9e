import { InvalidArgumentError } from '../errors.ts';

const MAX_QUOTED = 64;

/** The bad value as it appears in an error message: JSON-quoted, long values cut short. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  if (value.length <= MAX_QUOTED) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (${value.length} characters)`;
}

/**
 * Checks that `text` is a string matching `pattern` and returns it unchanged; otherwise throws an
 * `InvalidArgumentError` naming `field`, saying what was expected and quoting what was given.
 */
export function checkIdentifier(text: unknown, field: string, pattern: RegExp, expected: string): string {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(field, `must be ${expected}, got ${quoteValue(text)}`);
  }
  if (!pattern.test(text)) {
    throw new InvalidArgumentError(field, `must be ${expected}, got ${quoteValue(text)}`);
  }
  return text;
}
