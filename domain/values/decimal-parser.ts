/**
 * Strict parser for decimals as exchanges write them on the wire: `-?digits(.digits)?`.
 *
 * Rejected, each with an InvalidArgumentError naming the caller's field and saying why: the empty
 * string, whitespace anywhere, a leading `+`, a lone `.`, `1.` and `.5`, exponent notation (`1e-8`,
 * `1E5`), `NaN` and `Infinity`, hex/octal/binary literals, thousand separators, more than
 * MAX_PRECISION decimals and text longer than MAX_DECIMAL_LENGTH. Exponent notation is rejected on
 * purpose: no supported venue (Binance.US, Coinbase, OANDA) sends it, so seeing it means the text did
 * not come from a venue as-is (typically a JavaScript `number` went through `String()`), and accepting
 * it would hide that a binary float already touched the value.
 */
import { InvalidArgumentError } from '../errors.ts';
import { MAX_PRECISION } from './fixed-point.ts';
import type { FixedPoint } from './fixed-point.ts';

/** Longest accepted text; bounds the cost of BigInt() on hostile input. */
export const MAX_DECIMAL_LENGTH = 100;

const CHAR_0 = 48;
const CHAR_MINUS = 45;
const CHAR_DOT = 46;
// Up to 15 digits always fit an IEEE-754 double exactly (10^15 < 2^53).
const MAX_SAFE_DIGITS = 15;
const QUOTE_LIMIT = 40;

/**
 * Parses `text` into a raw integer and the number of decimals written ("0.00001000" → 1000n, 8), so
 * formatting the result gives `text` back for canonical input.
 */
export function parseDecimal(text: string, field: string): FixedPoint {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(field, `expected a decimal string, got ${typeof text}`);
  }
  const length = text.length;
  if (length === 0 || length > MAX_DECIMAL_LENGTH) return rejectDecimal(text, field);
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === CHAR_MINUS) {
    negative = true;
    i = 1;
  }
  const start = i;
  // `acc` is an integer accumulator only, never a fractional value: while at most 15 digits have
  // been read it is exact, and BigInt(acc) is much cheaper than BigInt(string). Longer inputs
  // discard it and take the string path below.
  let acc = 0;
  let dot = -1;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    // One unsigned comparison tests 0 ≤ digit ≤ 9.
    if (digit >>> 0 <= 9) acc = acc * 10 + digit;
    else if (digit === CHAR_DOT - CHAR_0 && dot < 0) dot = i;
    else return rejectDecimal(text, field);
  }
  let precision = 0;
  let digitCount = length - start;
  if (dot >= 0) {
    precision = length - dot - 1;
    digitCount -= 1;
    if (dot === start || precision === 0) return rejectDecimal(text, field);
  }
  if (digitCount === 0 || precision > MAX_PRECISION) return rejectDecimal(text, field);
  let raw: bigint;
  if (digitCount <= MAX_SAFE_DIGITS) {
    raw = BigInt(negative ? -acc : acc);
  } else {
    raw = BigInt(dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1));
  }
  return { raw, precision };
}

/** True when `text` is accepted by the strict decimal grammar (and fits MAX_PRECISION). */
export function isValidDecimalString(text: string): boolean {
  return typeof text === 'string' && decimalSyntaxError(text) === undefined;
}

/** Why `text` is not an accepted decimal, or undefined if it is. Slow path: used for errors only. */
export function decimalSyntaxError(text: string): string | undefined {
  if (text.length === 0) return 'empty string';
  if (text.length > MAX_DECIMAL_LENGTH) return `longer than ${MAX_DECIMAL_LENGTH} characters`;
  if (/\s/u.test(text)) return 'whitespace is not allowed';
  if (text.startsWith('+')) return "a leading '+' is not allowed";
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  if (/^(nan|[+-]?infinity)$/iu.test(unsigned)) return 'NaN and Infinity are not decimals';
  if (/^0[xob]/iu.test(unsigned)) return 'hex, octal and binary notation are not allowed';
  if (unsigned.length === 0) return 'no digits';
  let dot = -1;
  for (let i = 0; i < unsigned.length; i++) {
    const ch = unsigned.charAt(i);
    if (ch >= '0' && ch <= '9') continue;
    if (ch === '.') {
      if (dot >= 0) return "more than one '.'";
      dot = i;
      continue;
    }
    if (ch === 'e' || ch === 'E') {
      return 'exponent notation is not accepted (no supported venue sends it; write the digits out)';
    }
    if (ch === ',' || ch === '_' || ch === "'") return 'thousand separators are not allowed';
    return `unexpected character ${JSON.stringify(ch)} at position ${i + text.length - unsigned.length}`;
  }
  if (dot === 0) return "missing digits before '.'";
  if (dot === unsigned.length - 1) return "missing digits after '.'";
  const decimals = dot < 0 ? 0 : unsigned.length - dot - 1;
  if (decimals > MAX_PRECISION) {
    return `${decimals} decimal places, more than the maximum ${MAX_PRECISION}`;
  }
  return undefined;
}

/** `text` quoted for an error message, shortened when long. */
export function quoteInput(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
}

function rejectDecimal(text: string, field: string): never {
  const reason = decimalSyntaxError(text) ?? 'not a decimal';
  throw new InvalidArgumentError(field, `${quoteInput(text)} is not a valid decimal: ${reason}`);
}
