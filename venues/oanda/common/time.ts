import { parseRfc3339 } from '../../common/utc-time.ts';
import { MalformedPayloadError } from './parse-error.ts';

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * Epoch milliseconds of an OANDA RFC3339 time (`2017-03-09T13:37:46.048197280Z`, UTC, up to nine
 * fractional digits; sub-millisecond digits are dropped). With Accept-Datetime-Format: RFC3339 every
 * time is in this form. A date or time of day that does not exist (2017-02-30, 24:00, second 60) is
 * refused rather than rolled over.
 */
export function parseTime(text: unknown, kind: string, field = 'time'): number {
  if (typeof text !== 'string')
    throw new MalformedPayloadError(kind, field, 'expected an RFC3339 time string');
  if (!UTC_TIME.test(text))
    throw new MalformedPayloadError(kind, field, `expected an RFC3339 UTC time, got ${text.slice(0, 40)}`);
  const ms = parseRfc3339(text);
  if (ms === undefined)
    throw new MalformedPayloadError(kind, field, `no such date or time of day: ${text.slice(0, 40)}`);
  return ms;
}

/** RFC3339 with nanoseconds, as OANDA writes times. */
export function formatTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2017-03-09T13:37:46.048Z
  return `${iso.slice(0, -1)}000000Z`;
}
