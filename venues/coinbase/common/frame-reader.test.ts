import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Price } from '../../../domain/values/index.ts';
import { FrameReader } from './frame-reader.ts';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A time in the venue's syntax; the fields may name a date or time of day that does not exist. */
const timeText = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.stringMatching(/^\d{0,9}$/),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
      `${t.fraction === '' ? '' : `.${t.fraction}`}Z`,
  );

/** `digits(.digits)?`, up to 30 digits each side (past MAX_PRECISION and the 15-digit fast path). */
const decimalText = fc
  .tuple(fc.stringMatching(/^\d{1,30}$/), fc.option(fc.stringMatching(/^\d{1,30}$/), { nil: undefined }))
  .map(([whole, fraction]) => (fraction === undefined ? whole : `${whole}.${fraction}`));

describe('FrameReader', () => {
  it('reads a time as Date.parse does, and refuses dates and times of day that do not exist', () => {
    fc.assert(
      fc.property(timeText, fc.integer({ min: 0, max: 3 }), (text, offset) => {
        const r = new FrameReader(`${'x'.repeat(offset)}${text}","next":1`);
        const expected = Date.parse(text);
        const ms = r.time(offset);
        // Date.parse also takes day 29-31 of shorter months and hour 24, rolling them over; the reader
        // leaves those to the validating parser. A real date and time of day reads the same.
        const real =
          Number.isFinite(expected) && new Date(expected).toISOString().slice(0, 19) === text.slice(0, 19);
        if (real) {
          expect(ms).toBe(expected);
          expect(r.end).toBe(offset + text.length);
        } else {
          expect(ms).toBeUndefined();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads times across minute boundaries, month ends and leap days', () => {
    for (const t of [
      '2024-02-29T23:59:59.999Z',
      '2026-12-31T00:00:00Z',
      '2027-01-01T00:00:00.5Z',
      '2000-02-29T12:00:00.123456789Z',
      '1970-01-01T00:00:00Z',
      '0000-03-01T00:00:00.01Z',
    ]) {
      expect(new FrameReader(`${t}"`).time(0)).toBe(Date.parse(t));
    }
    for (const t of ['2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z']) {
      expect(new FrameReader(`${t}"`).time(0)).toBeUndefined();
    }
  });

  it('reads a decimal as Price.parse does, refusing more than 18 decimals or 100 characters', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const r = new FrameReader(`"${text}","x"`);
        const ok = r.decimal(1);
        const fraction = text.indexOf('.') < 0 ? 0 : text.length - text.indexOf('.') - 1;
        expect(ok).toBe(fraction <= 18);
        if (ok) {
          const expected = Price.parse(text);
          expect([r.raw, r.precision]).toEqual([expected.raw, expected.precision]);
          expect(r.end).toBe(1 + text.length);
        }
      }),
      { numRuns: 3000 },
    );
    expect(new FrameReader(`${'1'.repeat(101)}"`).decimal(0)).toBe(false);
    expect(new FrameReader(`${'1'.repeat(100)}"`).decimal(0)).toBe(true);
  });

  it('reads an integer up to 15 digits', () => {
    const r = new FrameReader('{"sequence_num":999999999999999,"events"');
    expect(r.int(16)).toBe(999_999_999_999_999);
    expect(r.end).toBe(31);
  });
});
