import { MAX_PRECISION } from '../../../domain/values/index.ts';

const ZERO = 48;
const DOT = 46;
const Q = 34; // "
const Z = 90;
/** Longest decimal text the domain parser accepts (MAX_DECIMAL_LENGTH). */
const MAX_DECIMAL_LENGTH = 100;

const digit = (s: string, i: number): number => s.charCodeAt(i) - ZERO;
const twoDigits = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

// The minute (`YYYY-MM-DDTHH:MM`) of the last time read, as a number, and its epoch ms: frames
// arrive in time order, so nearly every time shares it and only seconds and fraction are read.
let cachedMinute = -1;
let cachedMinuteMs = 0;

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
    const s = this.s;
    const minute =
      (((digit(s, start) * 10 + digit(s, start + 1)) * 100 + twoDigits(s, start + 2)) * 100 +
        twoDigits(s, start + 5)) *
        1_000_000 +
      twoDigits(s, start + 8) * 10_000 +
      twoDigits(s, start + 11) * 100 +
      twoDigits(s, start + 14);
    if (minute !== cachedMinute && !this.#cacheMinute(minute)) return undefined;
    const second = twoDigits(s, start + 17);
    if (second > 59) return undefined;
    let i = start + 19;
    let ms = 0;
    if (s.charCodeAt(i) === DOT) {
      // 1 to 9 digits then Z: the first three are the milliseconds (".5" is 500 ms).
      ms = digit(s, ++i) * 100;
      if (s.charCodeAt(++i) !== Z) {
        ms += digit(s, i) * 10;
        if (s.charCodeAt(++i) !== Z) {
          ms += digit(s, i);
          while (s.charCodeAt(++i) !== Z);
        }
      }
    }
    this.end = i + 1;
    return cachedMinuteMs + second * 1000 + ms;
  }

  #cacheMinute(key: number): boolean {
    const year = Math.floor(key / 100_000_000);
    const month = Math.floor(key / 1_000_000) % 100;
    const day = Math.floor(key / 10_000) % 100;
    const hour = Math.floor(key / 100) % 100;
    const minute = key % 100;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) {
      return false;
    }
    cachedMinute = key;
    cachedMinuteMs = (daysFromCivil(year, month, day) * 1440 + hour * 60 + minute) * 60_000;
    return true;
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
