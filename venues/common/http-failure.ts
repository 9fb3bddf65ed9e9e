/** What a venue's non-2xx HTTP answer means for the caller, before the venue's own body is read. */
export const HttpFailure = {
  RATE_LIMITED: 'rate-limited',
  /** A write the venue may or may not have executed: resolve by query, never resend blindly. */
  UNKNOWN_OUTCOME: 'unknown-outcome',
  UNAVAILABLE: 'unavailable',
  UNAUTHENTICATED: 'unauthenticated',
  PERMISSION_DENIED: 'permission-denied',
  NOT_FOUND: 'not-found',
  /** 400: the request can never succeed as sent. */
  REJECTED: 'rejected',
  /** Any other 4xx. */
  OTHER: 'other',
} as const;
export type HttpFailure = (typeof HttpFailure)[keyof typeof HttpFailure];

/**
 * The one status mapping of the venues' REST errors: 429 rate limited; 5xx unknown outcome on a
 * write, unavailable on a read; 401; 403 and 405 (a method the key may not use); 404; 400; the rest.
 */
export function classifyHttpFailure(status: number, write: boolean): HttpFailure {
  if (status === 429) return HttpFailure.RATE_LIMITED;
  if (status >= 500) return write ? HttpFailure.UNKNOWN_OUTCOME : HttpFailure.UNAVAILABLE;
  if (status === 401) return HttpFailure.UNAUTHENTICATED;
  if (status === 403 || status === 405) return HttpFailure.PERMISSION_DENIED;
  if (status === 404) return HttpFailure.NOT_FOUND;
  if (status === 400) return HttpFailure.REJECTED;
  return HttpFailure.OTHER;
}
