import type { FaultAnswers } from '../../fault-gate.ts';

/**
 * The venue's error answers: HTTP status and the body `{"error","code","message","error_details"}`
 * (code: the gRPC status number the venue adds, e.g. 16 for UNAUTHORIZED). Thrown inside a route and
 * turned into the answer by the router.
 */
export class CoinbaseSimError extends Error {
  readonly status: number;
  readonly error: string;
  readonly code: number | undefined;
  readonly details: string;
  constructor(status: number, error: string, message: string, code?: number, details = '') {
    super(message);
    this.name = 'CoinbaseSimError';
    this.status = status;
    this.error = error;
    this.code = code;
    this.details = details;
  }

  body(): Record<string, unknown> {
    return {
      error: this.error,
      ...(this.code === undefined ? {} : { code: this.code }),
      message: this.message,
      error_details: this.details,
    };
  }
}

export const SimErrors = {
  /** The documented 401 body, whatever failed (signature, claims, expiry, uri, unknown key). */
  unauthorized: (why: string): CoinbaseSimError =>
    new CoinbaseSimError(401, 'UNAUTHORIZED', 'Unauthorized', 16, why),
  invalidArgument: (message: string): CoinbaseSimError =>
    new CoinbaseSimError(400, 'INVALID_ARGUMENT', message, 3),
  notFound: (message: string): CoinbaseSimError => new CoinbaseSimError(404, 'NOT_FOUND', message, 5),
  tooManyRequests: (): CoinbaseSimError =>
    new CoinbaseSimError(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests', 8, 'rate limit exceeded'),
  internal: (): CoinbaseSimError => new CoinbaseSimError(500, 'INTERNAL', 'Internal server error', 13),
  unavailable: (): CoinbaseSimError => new CoinbaseSimError(503, 'UNAVAILABLE', 'Service unavailable', 14),
} as const;

/**
 * Injected faults answered as Coinbase does: its error JSON (`RATE_LIMIT_EXCEEDED`, `UNAVAILABLE`,
 * `INTERNAL`) with the fault's status. Coinbase has no 418 ban; an armed 418 still answers 418 with
 * the rate-limit body, so a test can see the client treat it like a 429.
 */
export const coinbaseFaultAnswers: FaultAnswers = {
  rateLimited: (status) => ({ status, body: SimErrors.tooManyRequests().body() }),
  serverError: (status) => {
    const error = status === 503 ? SimErrors.unavailable() : SimErrors.internal();
    return { status, body: error.body() };
  },
};
