import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRfc3339, readUtcTime } from './utc-time.ts';

describe('parseRfc3339', () => {
  it('reads UTC and offset times, the fraction truncated to milliseconds', () => {
    expect(parseRfc3339('2017-03-09T13:37:46.048197280Z')).toBe(Date.UTC(2017, 2, 9, 13, 37, 46, 48));
    expect(parseRfc3339('2017-03-09T13:37:46Z')).toBe(Date.UTC(2017, 2, 9, 13, 37, 46));
    expect(parseRfc3339('2017-03-09t13:37:46.5z')).toBe(Date.UTC(2017, 2, 9, 13, 37, 46, 500));
    expect(parseRfc3339('2017-03-09T14:37:46+01:00')).toBe(Date.UTC(2017, 2, 9, 13, 37, 46));
    expect(parseRfc3339('2017-03-09T12:07:46-01:30')).toBe(Date.UTC(2017, 2, 9, 13, 37, 46));
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('1969-12-31T23:59:59.999Z')).toBe(-1);
  });

  it('refuses dates and times of day that do not exist instead of rolling them over', () => {
    for (const text of [
      '2017-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2017-04-31T00:00:00Z',
      '2017-13-01T00:00:00Z',
      '2017-00-10T00:00:00Z',
      '2017-01-00T00:00:00Z',
      '2017-01-01T24:00:00Z',
      '2017-01-01T23:60:00Z',
      '2017-01-01T23:59:60Z',
      '2017-01-01T00:00:00+24:00',
      '2017-01-01T00:00:00',
      '2017-01-01 00:00:00Z',
      'March 7, 2017',
      '2017-01-01T00:00:00.1234567890Z',
    ]) {
      expect(parseRfc3339(text), text).toBeUndefined();
    }
  });

  it('agrees with Date.parse on every existing UTC time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        (d) => {
          const text = d.toISOString();
          expect(parseRfc3339(text)).toBe(Date.parse(text));
        },
      ),
    );
  });
});

describe('readUtcTime', () => {
  it('reads a time in place, leaves end at its Z and agrees with parseRfc3339', () => {
    const at = { end: 0 };
    const s = '{"time":"2019-08-14T20:42:27.265456Z"}';
    expect(readUtcTime(s, 9, at)).toBe(Date.UTC(2019, 7, 14, 20, 42, 27, 265));
    expect(s[at.end]).toBe('Z');
    expect(readUtcTime('2019-08-14T20:42:27Z', 0, at)).toBe(Date.UTC(2019, 7, 14, 20, 42, 27));
    expect(at.end).toBe(19);
  });

  it('refuses a day or second that does not exist, also when the minute was cached before', () => {
    const at = { end: 0 };
    expect(readUtcTime('2019-02-28T10:00:59Z', 0, at)).toBe(Date.UTC(2019, 1, 28, 10, 0, 59));
    expect(readUtcTime('2019-02-28T10:00:60Z', 0, at)).toBeUndefined();
    expect(readUtcTime('2019-02-29T10:00:00Z', 0, at)).toBeUndefined();
    expect(readUtcTime('2020-02-29T10:00:00.1Z', 0, at)).toBe(Date.UTC(2020, 1, 29, 10, 0, 0, 100));
  });
});
