import {
  FailedPreconditionError,
  InvalidArgumentError,
  NinjaError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../domain/errors.ts';
import type { NinjaErrorOptions } from '../../../domain/errors.ts';
import { HttpFailure, classifyHttpFailure } from '../../common/index.ts';

/** What the venue said: HTTP status and, when the body had them, `error` and `message`. */
export interface VenueErrorFields {
  readonly httpStatus: number | undefined;
  /** `error` of the body, e.g. `UNAUTHORIZED`, `NOT_FOUND`, `INVALID_ARGUMENT`. */
  readonly venueCode: string | undefined;
  readonly venueMessage: string;
}

type Opts = NinjaErrorOptions & VenueErrorFields;

function text(o: Opts): string {
  return o.venueCode === undefined ? o.venueMessage : `${o.venueCode} ${o.venueMessage}`;
}

function fields(target: VenueErrorFields & object, o: Opts): void {
  Object.assign(target, { httpStatus: o.httpStatus, venueCode: o.venueCode, venueMessage: o.venueMessage });
}

/** 400: the request can never succeed as sent. */
export class CoinbaseRequestRejectedError extends InvalidArgumentError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super('request', `Coinbase rejected the request: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 404, e.g. an order id the venue does not know. */
export class CoinbaseNotFoundError extends NotFoundError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 401: a JWT the venue did not accept (signature, claims, expiry, `uri`, unknown key). */
export class CoinbaseAuthenticationError extends UnauthenticatedError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase authentication failed: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 403: the key lacks the permission (e.g. trade) or portfolio access. */
export class CoinbasePermissionError extends PermissionDeniedError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase permission denied: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 429, or our own pause after one: retry after `retryAfterMs`. */
export class CoinbaseRateLimitError extends ResourceExhaustedError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  readonly retryAfterMs: number | undefined;
  constructor(o: Opts & { readonly retryAfterMs?: number | undefined }) {
    super(`Coinbase rate limit: ${text(o)}`, o);
    fields(this, o);
    this.retryAfterMs = o.retryAfterMs;
  }
}

/**
 * A 5xx, a timeout or a connection lost after a write was sent: the venue may or may not have
 * executed it. Never retry blindly; query by client_order_id first.
 */
export class CoinbaseUnknownOutcomeError extends NinjaError implements VenueErrorFields {
  readonly code = 'UNKNOWN';
  readonly retryable = false;
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase outcome unknown: ${text(o)}`, o);
    fields(this, o);
  }
}

/** The venue could not be reached, or a read failed with 5xx. */
export class CoinbaseUnavailableError extends UnavailableError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase unavailable: ${text(o)}`, o);
    fields(this, o);
  }
}

/** Any other 4xx answer. */
export class CoinbaseApiError extends FailedPreconditionError implements VenueErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly venueCode: string | undefined;
  declare readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Coinbase error: ${text(o)}`, o);
    fields(this, o);
  }
}

export type CoinbaseError =
  | CoinbaseRequestRejectedError
  | CoinbaseNotFoundError
  | CoinbaseAuthenticationError
  | CoinbasePermissionError
  | CoinbaseRateLimitError
  | CoinbaseUnknownOutcomeError
  | CoinbaseUnavailableError
  | CoinbaseApiError;

/** Maps a non-2xx answer to its typed error (status mapping shared by the venues: venues/common). */
export function venueError(
  httpStatus: number,
  body: { error?: string; message?: string } | undefined,
  options: { write: boolean; retryAfterMs?: number | undefined; details?: Record<string, unknown> },
): CoinbaseError {
  const o: Opts = {
    httpStatus,
    venueCode: body?.error,
    venueMessage: body?.message ?? `HTTP ${httpStatus}`,
    details: { ...options.details, httpStatus, venueCode: body?.error },
  };
  switch (classifyHttpFailure(httpStatus, options.write)) {
    case HttpFailure.RATE_LIMITED:
      return new CoinbaseRateLimitError({ ...o, retryAfterMs: options.retryAfterMs });
    case HttpFailure.UNKNOWN_OUTCOME:
      return new CoinbaseUnknownOutcomeError(o);
    case HttpFailure.UNAVAILABLE:
      return new CoinbaseUnavailableError(o);
    case HttpFailure.UNAUTHENTICATED:
      return new CoinbaseAuthenticationError(o);
    case HttpFailure.PERMISSION_DENIED:
      return new CoinbasePermissionError(o);
    case HttpFailure.NOT_FOUND:
      return new CoinbaseNotFoundError(o);
    case HttpFailure.REJECTED:
      return new CoinbaseRequestRejectedError(o);
    case HttpFailure.OTHER:
      return new CoinbaseApiError(o);
  }
}
