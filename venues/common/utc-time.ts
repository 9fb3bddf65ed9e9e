// Calendar arithmetic and RFC 3339 time reading shared by the venue parsers (Coinbase and OANDA
// send times as text). Both readers refuse a date or time of day that does not exist instead of
// letting Date.UTC / Date.parse roll it over (2017-02-30 is not 2017-03-02).

const ZERO = 48;
const DOT = 46;
const UPPER_Z = 90;

const digit = (s: string, i: number): number => s.charCodeAt(i) - ZERO;
const twoDigits = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Epoch ms of a calendar date and time of day, or undefined when it does not exist. */
function civilMs(year: number, month: number, day: number, hour: number, minute: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) {
    return undefined;
  }
  return (daysFromCivil(year, month, day) * 1440 + hour * 60 + minute) * 60_000;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds of an RFC 3339 date-time (`2017-03-09T13:37:46.048197280Z`, or with a numeric
 * offset `+01:00`), the fraction truncated to milliseconds; undefined when the text is not one or
 * names a date or time of day that does not exist (February 30th, hour 24, second 60: a leap second
 * has no epoch-ms representation, and none is scheduled).
 */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const dayMs = civilMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  const second = Number(m[6]);
  if (dayMs === undefined || second > 59) return undefined;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const hours = Number(m[10]);
    const minutes = Number(m[11]);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return dayMs + second * 1000 + ms - offsetMinutes * 60_000;
}

// The minute (`YYYY-MM-DDTHH:MM`) of the last time read by readUtcTime, as a number, and its epoch
// ms: stream frames arrive in time order, so nearly every time shares it and only seconds and the
// fraction are read.
let cachedMinute = -1;
let cachedMinuteMs = 0;

/**
 * The UTC time `YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z` at `start` of a text whose syntax a regular
 * expression has already matched (digits are where the match says), as epoch ms with the fraction
 * truncated to milliseconds; undefined for a date or time of day that does not exist. Leaves
 * `at.end` at the index of the closing `Z`.
 */
export function readUtcTime(s: string, start: number, at: { end: number }): number | undefined {
  const minute =
    (((digit(s, start) * 10 + digit(s, start + 1)) * 100 + twoDigits(s, start + 2)) * 100 +
      twoDigits(s, start + 5)) *
      1_000_000 +
    twoDigits(s, start + 8) * 10_000 +
    twoDigits(s, start + 11) * 100 +
    twoDigits(s, start + 14);
  if (minute !== cachedMinute) {
    const ms = civilMs(
      Math.floor(minute / 100_000_000),
      Math.floor(minute / 1_000_000) % 100,
      Math.floor(minute / 10_000) % 100,
      Math.floor(minute / 100) % 100,
      minute % 100,
    );
    if (ms === undefined) return undefined;
    cachedMinute = minute;
    cachedMinuteMs = ms;
  }
  const second = twoDigits(s, start + 17);
  if (second > 59) return undefined;
  let i = start + 19;
  let ms = 0;
  if (s.charCodeAt(i) === DOT) {
    // 1 to 9 digits then Z: the first three are the milliseconds (".5" is 500 ms).
    ms = digit(s, ++i) * 100;
    if (s.charCodeAt(++i) !== UPPER_Z) {
      ms += digit(s, i) * 10;
      if (s.charCodeAt(++i) !== UPPER_Z) {
        ms += digit(s, i);
        while (s.charCodeAt(++i) !== UPPER_Z);
      }
    }
  }
  at.end = i;
  return cachedMinuteMs + second * 1000 + ms;
}
