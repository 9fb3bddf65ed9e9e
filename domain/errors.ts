/**
 * Domain errors. Every error carries a `code` named after the gRPC status it maps to, a
 * `retryable` flag saying whether repeating the same call can help, and keeps its `cause`.
 */

/** gRPC status names, with their numeric codes (grpc/status.h). */
export const StatusCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type StatusCode = keyof typeof StatusCode;

export interface NinjaErrorOptions {
  readonly cause?: unknown;
  /** Structured, loggable context (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base class of every error Ninja Gekko raises on purpose. */
export abstract class NinjaError extends Error {
  abstract readonly code: StatusCode;
  abstract readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: NinjaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }

  /** The numeric gRPC status for this error. */
  get grpcStatus(): number {
    return StatusCode[this.code];
  }
}

/** Input that can never be valid as given (bad decimal, bad identifier, bad config). */
export class InvalidArgumentError extends NinjaError {
  readonly code = 'INVALID_ARGUMENT';
  readonly retryable = false;
  /** The name of the offending field, e.g. `price` or `config.database.url`. */
  readonly field: string;
  constructor(field: string, message: string, options: NinjaErrorOptions = {}) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/** A value outside the range an operation accepts (e.g. a quantity going negative). */
export class OutOfRangeError extends NinjaError {
  readonly code = 'OUT_OF_RANGE';
  readonly retryable = false;
  readonly field: string;
  constructor(field: string, message: string, options: NinjaErrorOptions = {}) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/** The system is not in a state that allows the operation (e.g. an illegal order transition). */
export class FailedPreconditionError extends NinjaError {
  readonly code = 'FAILED_PRECONDITION';
  readonly retryable = false;
}

export class NotFoundError extends NinjaError {
  readonly code = 'NOT_FOUND';
  readonly retryable = false;
}

export class AlreadyExistsError extends NinjaError {
  readonly code = 'ALREADY_EXISTS';
  readonly retryable = false;
}

/** A concurrency conflict (serialization failure, stale epoch); retrying the whole operation may help. */
export class AbortedError extends NinjaError {
  readonly code = 'ABORTED';
  readonly retryable = true;
}

/** The method exists in the API but what backs it is not built or not served (yet). */
export class UnimplementedError extends NinjaError {
  readonly code = 'UNIMPLEMENTED';
  readonly retryable = false;
}

/** A dependency is temporarily unreachable; retrying later may help. */
export class UnavailableError extends NinjaError {
  readonly code = 'UNAVAILABLE';
  readonly retryable = true;
}

export class DeadlineExceededError extends NinjaError {
  readonly code = 'DEADLINE_EXCEEDED';
  readonly retryable = true;
}

/** A quota or bound is exhausted (rate limit, full mailbox). */
export class ResourceExhaustedError extends NinjaError {
  readonly code = 'RESOURCE_EXHAUSTED';
  readonly retryable = true;
}

export class PermissionDeniedError extends NinjaError {
  readonly code = 'PERMISSION_DENIED';
  readonly retryable = false;
}

export class UnauthenticatedError extends NinjaError {
  readonly code = 'UNAUTHENTICATED';
  readonly retryable = false;
}

/** A broken invariant inside Ninja Gekko: a bug, never the caller's fault. */
export class InternalError extends NinjaError {
  readonly code = 'INTERNAL';
  readonly retryable = false;
}

/** Stored data does not match what was written (e.g. an edited, already-applied migration). */
export class DataLossError extends NinjaError {
  readonly code = 'DATA_LOSS';
  readonly retryable = false;
}

export function isNinjaError(value: unknown): value is NinjaError {
  return value instanceof NinjaError;
}
