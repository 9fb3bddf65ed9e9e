import { MAX_PRECISION } from '../../../domain/values/index.ts';
import { readUtcTime } from '../../common/utc-time.ts';

const ZERO = 48;
const DOT = 46;
const Q = 34; // "
/** Longest decimal text the domain parser accepts (MAX_DECIMAL_LENGTH). */
const MAX_DECIMAL_LENGTH = 100;

const digit = (s: string, i: number): number => s.charCodeAt(i) - ZERO;

/**
 * Reads values of a frame whose syntax a layout regular expression has already matched: digits are
 * where the match says they are, so only what the syntax cannot say is checked here (a real calendar
 * date and time of day, a decimal's precision and length). Each read leaves `end` at the value's
 * closing quote (after an int: its last digit + 1).
 */
export class FrameReader {
  end = 0;
  /** The last decimal read: value × 10^precision. */
  raw = 0n;
  precision = 0;

  constructor(readonly s: string) {}

  /** A JSON integer of at most 15 digits at `start`. */
  int(start: number): number {
    const s = this.s;
    let i = start;
    let acc = 0;
    for (let d = digit(s, i); d >>> 0 <= 9; d = digit(s, ++i)) acc = acc * 10 + d;
    this.end = i;
    return acc;
  }

  /**
   * The decimal `digits(.digits)?` from `start` to its closing quote into `raw` and `precision`;
   * false when it has more decimals than MAX_PRECISION or is longer than the domain parser accepts.
   */
  decimal(start: number): boolean {
    const s = this.s;
    let i = start;
    let acc = 0;
    let dot = -1;
    for (let c = s.charCodeAt(i); c !== Q; c = s.charCodeAt(++i)) {
      if (c === DOT) dot = i;
      else acc = acc * 10 + (c - ZERO);
    }
    const length = i - start;
    const precision = dot < 0 ? 0 : i - dot - 1;
    if (precision > MAX_PRECISION || length > MAX_DECIMAL_LENGTH) return false;
    const digits = dot < 0 ? length : length - 1;
    // Up to 15 digits `acc` is exact (10^15 < 2^53), and BigInt(number) is far cheaper than BigInt(text).
    this.raw =
      digits <= 15
        ? BigInt(acc)
        : BigInt(dot < 0 ? s.slice(start, i) : s.slice(start, dot) + s.slice(dot + 1, i));
    this.precision = precision;
    this.end = i;
    return true;
  }

  /**
   * The UTC time `YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z` at `start` as epoch ms, the fraction truncated to
   * milliseconds as Date.parse does; undefined for a date or time of day that does not exist.
   */
  time(start: number): number | undefined {
    const ms = readUtcTime(this.s, start, this);
    if (ms !== undefined) this.end += 1;
    return ms;
  }
}
