import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import {
  AbortedError,
  AlreadyExistsError,
  DataLossError,
  DeadlineExceededError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  NinjaError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  UnimplementedError,
} from './internal.ts';
import type { NinjaErrorOptions } from './internal.ts';

export { UnimplementedError };

// Statuses the server side of Ninja Gekko never raises on purpose, so domain/errors.ts has no class
// for them; a client still receives them (from grpc-js itself or a proxy).

/** The call was cancelled (by this client, or the server went away mid-call). */
export class CancelledError extends NinjaError {
  readonly code = 'CANCELLED';
  readonly retryable = false;
}

/** The server answered with a status that says nothing more (often a proxy or a crash). */
export class UnknownError extends NinjaError {
  readonly code = 'UNKNOWN';
  readonly retryable = false;
}

/**
 * No connection to the gateway could be made (refused, unresolvable name, TLS handshake failed):
 * the request never left this process, so repeating any call is safe.
 */
export class GatewayUnreachableError extends UnavailableError {
  readonly address: string;
  constructor(address: string, message: string, options: NinjaErrorOptions = {}) {
    super(message, options);
    this.address = address;
  }
}

/** Trailer in which the gateway names the offending field of an INVALID_ARGUMENT answer. */
export const FIELD_METADATA_KEY = 'x-error-field';
/** Trailer carrying the call's correlation id (quote it to the operator). */
export const CORRELATION_METADATA_KEY = 'x-correlation-id';

/** grpc-js wording for a call that failed before any connection existed. */
const NOT_CONNECTED =
  /No connection established|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|Name resolution failed|Failed to connect|DNS resolution failed/i;

/** `price: must be positive` → field `price`; the gateway writes errors that way (InvalidArgumentError). */
const FIELD_PREFIX = /^([A-Za-z_][A-Za-z0-9_]*(?:(?:\.[A-Za-z0-9_]+)|(?:\[\d+\]))*): ([\s\S]*)$/;

export interface CallDescription {
  /** e.g. `ninja.v1.TradingService/PlaceOrder`. */
  readonly method: string;
  /** host:port of the gateway. */
  readonly address: string;
}

export function isServiceError(value: unknown): value is ServiceError {
  return (
    value instanceof Error &&
    typeof (value as Partial<ServiceError>).code === 'number' &&
    typeof (value as Partial<ServiceError>).details === 'string'
  );
}

/**
 * The typed error for a failed call: the domain class named by the gRPC status (InvalidArgumentError
 * with its `field`, UnavailableError, ...), `details.grpcCode` the numeric status, the gateway's
 * message unchanged. An error that is not a gRPC status (a bug in the caller's callback, say) is
 * returned as is when it is already a NinjaError, else wrapped in InternalError.
 */
export function errorFromCall(error: unknown, call: CallDescription): NinjaError {
  if (error instanceof NinjaError) return error;
  if (!isServiceError(error)) {
    return new InternalError(`${call.method} failed in the client: ${String(error)}`, {
      cause: error,
      details: { method: call.method },
    });
  }
  const message = error.details.length > 0 ? error.details : error.message;
  const correlationId = error.metadata?.get(CORRELATION_METADATA_KEY)[0];
  const retryAfterMs = Number(error.metadata?.get('retry-after-ms')[0]);
  const options: NinjaErrorOptions = {
    cause: error,
    details: {
      method: call.method,
      address: call.address,
      grpcCode: error.code,
      ...(typeof correlationId === 'string' ? { correlationId } : {}),
      ...(Number.isFinite(retryAfterMs) ? { retryAfterMs } : {}),
    },
  };
  switch (error.code) {
    case GrpcStatus.CANCELLED:
      return new CancelledError(message, options);
    case GrpcStatus.INVALID_ARGUMENT: {
      const { field, text } = fieldOf(message, error.metadata);
      return new InvalidArgumentError(field, text, options);
    }
    case GrpcStatus.OUT_OF_RANGE: {
      const { field, text } = fieldOf(message, error.metadata);
      return new OutOfRangeError(field, text, options);
    }
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new DeadlineExceededError(message, options);
    case GrpcStatus.NOT_FOUND:
      return new NotFoundError(message, options);
    case GrpcStatus.ALREADY_EXISTS:
      return new AlreadyExistsError(message, options);
    case GrpcStatus.PERMISSION_DENIED:
      return new PermissionDeniedError(message, options);
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return new ResourceExhaustedError(message, options);
    case GrpcStatus.FAILED_PRECONDITION:
      return new FailedPreconditionError(message, options);
    case GrpcStatus.ABORTED:
      return new AbortedError(message, options);
    case GrpcStatus.UNIMPLEMENTED:
      return new UnimplementedError(message, options);
    case GrpcStatus.INTERNAL:
      return new InternalError(message, options);
    case GrpcStatus.UNAVAILABLE:
      return NOT_CONNECTED.test(message)
        ? new GatewayUnreachableError(
            call.address,
            `cannot reach the gateway at ${call.address}: ${connectFailure(message)}`,
            options,
          )
        : new UnavailableError(message, options);
    case GrpcStatus.DATA_LOSS:
      return new DataLossError(message, options);
    case GrpcStatus.UNAUTHENTICATED:
      return new UnauthenticatedError(message, options);
    default:
      return new UnknownError(message, options);
  }
}

/** grpc-js's "No connection established. Last error: Error: connect ECONNREFUSED …. Resolution note: " → "connect ECONNREFUSED …". */
function connectFailure(message: string): string {
  const last = /Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(message);
  return last?.[1] ?? message;
}

/** The field an INVALID_ARGUMENT names: from metadata when the gateway sends it, else the message prefix. */
function fieldOf(message: string, metadata: Metadata | undefined): { field: string; text: string } {
  const match = FIELD_PREFIX.exec(message);
  const fromMetadata = metadata?.get(FIELD_METADATA_KEY)[0];
  if (typeof fromMetadata === 'string' && fromMetadata.length > 0) {
    const prefix = `${fromMetadata}: `;
    return { field: fromMetadata, text: message.startsWith(prefix) ? message.slice(prefix.length) : message };
  }
  if (match?.[1] !== undefined && match[2] !== undefined) return { field: match[1], text: match[2] };
  return { field: 'request', text: message };
}
