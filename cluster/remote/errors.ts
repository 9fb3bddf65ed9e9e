import {
  AbortedError,
  AlreadyExistsError,
  DataLossError,
  DeadlineExceededError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  StatusCode,
  UnauthenticatedError,
  UnavailableError,
  NinjaError,
  isNinjaError,
} from '../../domain/errors.ts';
import type { NinjaErrorOptions } from '../../domain/errors.ts';
import type { ErrorDetail } from '../../proto/index.ts';

/** An envelope larger than the transport's `maxEnvelopeBytes` (INVALID_ARGUMENT: resending cannot help). */
export class EnvelopeTooLargeError extends InvalidArgumentError {
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(bytes: number, maxBytes: number, options: NinjaErrorOptions = {}) {
    super(
      'envelope',
      `is ${String(bytes)} bytes encoded; the limit is ${String(maxBytes)} bytes (maxEnvelopeBytes)`,
      options,
    );
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}

/** The peer refused our hello, or we refused its welcome (wrong cluster, protocol or node). */
export class HandshakeRejectedError extends FailedPreconditionError {}

/** Bytes on the stream that do not decode as a frame of the cluster transport protocol. */
export class MalformedFrameError extends InvalidArgumentError {
  constructor(message: string, options: NinjaErrorOptions = {}) {
    super('frame', message, options);
  }
}

/** An error carried by an ERROR envelope whose code this node does not know. */
export class RemoteUnknownError extends NinjaError {
  readonly code = 'UNKNOWN';
  readonly remoteCode: string;
  readonly retryable: boolean;
  constructor(remoteCode: string, message: string, retryable: boolean, options: NinjaErrorOptions = {}) {
    super(message, options);
    this.remoteCode = remoteCode;
    this.retryable = retryable;
  }
}

type ErrorFactory = (message: string, options: NinjaErrorOptions) => NinjaError;

const FACTORIES: Partial<Record<StatusCode, ErrorFactory>> = {
  INVALID_ARGUMENT: (m, o) => new InvalidArgumentError('remote', m, o),
  OUT_OF_RANGE: (m, o) => new OutOfRangeError('remote', m, o),
  FAILED_PRECONDITION: (m, o) => new FailedPreconditionError(m, o),
  NOT_FOUND: (m, o) => new NotFoundError(m, o),
  ALREADY_EXISTS: (m, o) => new AlreadyExistsError(m, o),
  ABORTED: (m, o) => new AbortedError(m, o),
  UNAVAILABLE: (m, o) => new UnavailableError(m, o),
  DEADLINE_EXCEEDED: (m, o) => new DeadlineExceededError(m, o),
  RESOURCE_EXHAUSTED: (m, o) => new ResourceExhaustedError(m, o),
  PERMISSION_DENIED: (m, o) => new PermissionDeniedError(m, o),
  UNAUTHENTICATED: (m, o) => new UnauthenticatedError(m, o),
  INTERNAL: (m, o) => new InternalError(m, o),
  DATA_LOSS: (m, o) => new DataLossError(m, o),
};

/**
 * The domain error for an ERROR envelope's detail: the class named by its code. The message keeps
 * the remote text; `details.remote` carries the wire fields.
 */
export function errorFromDetail(
  detail: ErrorDetail | undefined,
  context: Readonly<Record<string, unknown>> = {},
): NinjaError {
  const code = detail?.code ?? 'UNKNOWN';
  const message = detail?.message ?? 'remote error without detail';
  const options: NinjaErrorOptions = {
    details: { ...context, remote: { code, retryable: detail?.retryable } },
  };
  const factory = code in StatusCode ? FACTORIES[code as StatusCode] : undefined;
  if (factory === undefined)
    return new RemoteUnknownError(code, message, detail?.retryable ?? false, options);
  return factory(message, options);
}

/** The wire detail of any thrown value: Ninja errors keep their code; anything else is INTERNAL. */
export function errorDetailOf(error: unknown): ErrorDetail {
  if (isNinjaError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, retryable: false };
}
