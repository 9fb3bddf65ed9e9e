import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../domain/errors.ts';
import type { NinjaErrorOptions } from '../../../domain/errors.ts';
import { HttpFailure, classifyHttpFailure } from '../../common/index.ts';

/** What OANDA answered: HTTP status, and from the body `errorCode` / `errorMessage` and the raw body. */
export interface OandaErrorFields {
  readonly httpStatus: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string;
  /** The decoded error body (holds e.g. `orderRejectTransaction`), when there was one. */
  readonly body?: unknown;
}

type Opts = NinjaErrorOptions & OandaErrorFields;

function text(o: Opts): string {
  const status = o.httpStatus === undefined ? 'no answer' : `HTTP ${o.httpStatus}`;
  return `${status}${o.errorCode === undefined ? '' : ` ${o.errorCode}`}: ${o.errorMessage}`;
}

function fields(target: OandaErrorFields & { body?: unknown }, o: Opts): void {
  Object.assign(target, {
    httpStatus: o.httpStatus,
    errorCode: o.errorCode,
    errorMessage: o.errorMessage,
    body: o.body,
  });
}

/** 400 without a reject transaction: the request is malformed and can never succeed as sent. */
export class OandaRequestRejectedError extends InvalidArgumentError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super('request', `OANDA rejected the request: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 400/404 carrying an `*RejectTransaction`: the venue refused the order or the cancel. */
export class OandaOrderRejectedError extends FailedPreconditionError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA rejected: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 404: no such order, transaction or account. */
export class OandaNotFoundError extends NotFoundError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 401: missing, malformed or revoked token. */
export class OandaAuthenticationError extends UnauthenticatedError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA authentication failed: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 403 / 405: the token may not do this (or the method is not allowed). */
export class OandaPermissionError extends PermissionDeniedError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA permission denied: ${text(o)}`, o);
    fields(this, o);
  }
}

/** 429 after the allowed retries; `retryAfterMs` says when to try again. */
export class OandaRateLimitError extends ResourceExhaustedError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  readonly retryAfterMs: number;
  constructor(o: Opts & { retryAfterMs: number }) {
    super(`OANDA rate limit: ${text(o)}`, o);
    fields(this, o);
    this.retryAfterMs = o.retryAfterMs;
  }
}

/** 5xx, or no answer to a read: retrying later may help. */
export class OandaUnavailableError extends UnavailableError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA unavailable: ${text(o)}`, o);
    fields(this, o);
  }
}

/**
 * A write (order create, cancel) got a 5xx or no answer: it may or may not have been executed.
 * Never resend blindly: query by `@<clientOrderId>` first (order-safety.ts).
 */
export class OandaUnknownOutcomeError extends UnavailableError implements OandaErrorFields {
  declare readonly httpStatus: number | undefined;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string;
  declare readonly body: unknown;
  constructor(o: Opts) {
    super(`OANDA outcome unknown: ${text(o)}`, o);
    fields(this, o);
  }
}

export type OandaError =
  | OandaRequestRejectedError
  | OandaOrderRejectedError
  | OandaNotFoundError
  | OandaAuthenticationError
  | OandaPermissionError
  | OandaRateLimitError
  | OandaUnavailableError
  | OandaUnknownOutcomeError;

const REJECT_KEYS = ['orderRejectTransaction', 'orderCancelRejectTransaction'];

/** The typed error for a non-2xx answer (429 is handled by the transport before this). */
export function oandaError(
  status: number,
  body: { errorCode?: string; errorMessage?: string; raw?: unknown },
  write: boolean,
  options: NinjaErrorOptions = {},
): OandaError {
  const o: Opts = {
    ...options,
    httpStatus: status,
    errorCode: body.errorCode,
    errorMessage: body.errorMessage ?? `HTTP ${status}`,
    body: body.raw,
  };
  const hasReject =
    typeof body.raw === 'object' && body.raw !== null && REJECT_KEYS.some((k) => k in (body.raw as object));
  if (hasReject) return new OandaOrderRejectedError(o);
  switch (classifyHttpFailure(status, write)) {
    case HttpFailure.RATE_LIMITED:
      return new OandaRateLimitError({ ...o, retryAfterMs: 0 });
    case HttpFailure.UNKNOWN_OUTCOME:
      return new OandaUnknownOutcomeError(o);
    case HttpFailure.UNAVAILABLE:
      return new OandaUnavailableError(o);
    case HttpFailure.UNAUTHENTICATED:
      return new OandaAuthenticationError(o);
    case HttpFailure.PERMISSION_DENIED:
      return new OandaPermissionError(o);
    case HttpFailure.NOT_FOUND:
      return new OandaNotFoundError(o);
    case HttpFailure.REJECTED:
    case HttpFailure.OTHER:
      // OANDA documents no other 4xx; whatever else it answers is refused as sent.
      return new OandaRequestRejectedError(o);
  }
}
