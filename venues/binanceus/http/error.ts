import {
  DeadlineExceededError,
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

/** What the venue said: HTTP status and, when the body had one, `{code, msg}`. */
export interface VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
}

type Opts = NinjaErrorOptions & VenueErrorFields;

function text(o: Opts): string {
  return o.venueCode === undefined ? o.venueMessage : `${o.venueCode} ${o.venueMessage}`;
}

/** -1013 filter failures and -11xx parameter errors: the request can never succeed as sent. */
export class BinanceUsRequestRejectedError extends InvalidArgumentError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super('request', `Binance.US rejected the request: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** -2010 (insufficient balance, would take, duplicate) and -2011 cancel restrictions. */
export class BinanceUsOrderRejectedError extends FailedPreconditionError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US rejected the order: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** -2013 order does not exist, -2011 "Unknown order sent.". */
export class BinanceUsNoSuchOrderError extends NotFoundError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** -1022 bad signature, -2014 bad API key format. */
export class BinanceUsAuthenticationError extends UnauthenticatedError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US authentication failed: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** -2015 invalid key, IP or permissions. */
export class BinanceUsPermissionError extends PermissionDeniedError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US permission denied: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** -1021: timestamp outside recvWindow; the client resyncs its clock offset and retries once. */
export class BinanceUsTimestampError extends DeadlineExceededError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US timestamp rejected: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** 429 / 418 / -1003 / -1015, or our own budget or pause: wait `retryAfterMs` (when known). */
export class BinanceUsRateLimitError extends ResourceExhaustedError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  readonly retryAfterMs: number | undefined;
  constructor(o: Opts & { readonly retryAfterMs?: number | undefined }) {
    super(`Binance.US rate limit: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
    this.retryAfterMs = o.retryAfterMs;
  }
}

/**
 * A 5xx, a timeout or a connection lost after the request was sent: the venue may or may not have
 * executed it. Never retry blindly; query the order first (see resolveUnknownOutcome).
 */
export class BinanceUsUnknownOutcomeError extends NinjaError implements VenueErrorFields {
  readonly code = 'UNKNOWN';
  readonly retryable = false;
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US outcome unknown: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** The venue could not be reached before anything was sent, or the circuit is open. */
export class BinanceUsUnavailableError extends UnavailableError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US unavailable: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

/** Any other documented 4xx answer. */
export class BinanceUsApiError extends FailedPreconditionError implements VenueErrorFields {
  readonly httpStatus: number | undefined;
  readonly venueCode: number | undefined;
  readonly venueMessage: string;
  constructor(o: Opts) {
    super(`Binance.US error: ${text(o)}`, o);
    ({ httpStatus: this.httpStatus, venueCode: this.venueCode, venueMessage: this.venueMessage } = o);
  }
}

export type BinanceUsError =
  | BinanceUsRequestRejectedError
  | BinanceUsOrderRejectedError
  | BinanceUsNoSuchOrderError
  | BinanceUsAuthenticationError
  | BinanceUsPermissionError
  | BinanceUsTimestampError
  | BinanceUsRateLimitError
  | BinanceUsUnknownOutcomeError
  | BinanceUsUnavailableError
  | BinanceUsApiError;

/** Maps a non-2xx answer (status, decoded `{code,msg}` if any, Retry-After) to its typed error. */
export function venueError(
  httpStatus: number,
  body: { code?: number; msg?: string } | undefined,
  options: { retryAfterMs?: number | undefined; details?: Record<string, unknown> } = {},
): BinanceUsError {
  const o: Opts = {
    httpStatus,
    venueCode: body?.code,
    venueMessage: body?.msg ?? `HTTP ${httpStatus}`,
    details: { ...options.details, httpStatus, venueCode: body?.code },
  };
  if (httpStatus === 429 || httpStatus === 418) {
    return new BinanceUsRateLimitError({ ...o, retryAfterMs: options.retryAfterMs });
  }
  if (httpStatus >= 500) return new BinanceUsUnknownOutcomeError(o);
  switch (body?.code) {
    case -1003:
    case -1015:
      return new BinanceUsRateLimitError({ ...o, retryAfterMs: options.retryAfterMs });
    case -1021:
      return new BinanceUsTimestampError(o);
    case -1022:
    case -2014:
      return new BinanceUsAuthenticationError(o);
    case -2015:
      return new BinanceUsPermissionError(o);
    case -2013:
      return new BinanceUsNoSuchOrderError(o);
    case -2011:
      return o.venueMessage === 'Unknown order sent.'
        ? new BinanceUsNoSuchOrderError(o)
        : new BinanceUsOrderRejectedError(o);
    case -2010:
      return new BinanceUsOrderRejectedError(o);
    default:
      break;
  }
  const code = body?.code;
  if (code !== undefined && (code === -1013 || (code <= -1100 && code > -1200))) {
    return new BinanceUsRequestRejectedError(o);
  }
  return new BinanceUsApiError(o);
}
