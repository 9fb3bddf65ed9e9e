import { MalformedPayloadError } from './parse-error.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Epoch milliseconds of an OANDA RFC3339 time (`2017-03-09T13:37:46.048197280Z`, UTC, up to nine
 * fractional digits; sub-millisecond digits are dropped). With Accept-Datetime-Format: RFC3339 every
 * time is in this form.
 */
export function parseTime(text: unknown, kind: string, field = 'time'): number {
  if (typeof text !== 'string')
    throw new MalformedPayloadError(kind, field, 'expected an RFC3339 time string');
  const m = RFC3339.exec(text);
  if (m === null)
    throw new MalformedPayloadError(kind, field, `expected an RFC3339 UTC time, got ${text.slice(0, 40)}`);
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)),
  );
  if (!Number.isFinite(ms)) throw new MalformedPayloadError(kind, field, `not a valid date: ${text}`);
  return ms;
}

/** RFC3339 with nanoseconds, as OANDA writes times. */
export function formatTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2017-03-09T13:37:46.048Z
  return `${iso.slice(0, -1)}000000Z`;
}
