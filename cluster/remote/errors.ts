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
import { RiskReason, RiskRejectedError } from '../../domain/index.ts';
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

/**
 * `field: text` as `InvalidArgumentError` / `OutOfRangeError` build their message, split back into
 * the field and the text (undefined when the message has no field prefix).
 */
function splitField(message: string): { readonly field: string; readonly text: string } | undefined {
  const colon = message.indexOf(': ');
  if (colon <= 0) return undefined;
  const field = message.slice(0, colon);
  return /\s/.test(field) ? undefined : { field, text: message.slice(colon + 2) };
}

const RISK_MESSAGE = /^risk check ([A-Z_]+): ([\s\S]*)$/;
const RISK_REASONS: ReadonlySet<string> = new Set(Object.values(RiskReason));

/**
 * A FAILED_PRECONDITION whose message is a `RiskRejectedError`'s (`risk check REASON: text`) is that
 * error again, reason included; any other is a plain FailedPreconditionError.
 */
function failedPrecondition(message: string, options: NinjaErrorOptions): NinjaError {
  const match = RISK_MESSAGE.exec(message);
  const reason = match?.[1];
  if (match === null || reason === undefined || !RISK_REASONS.has(reason)) {
    return new FailedPreconditionError(message, options);
  }
  const remote = options.details ?? {};
  // Checked against RiskReason's values just above.
  return new RiskRejectedError(reason as RiskReason, match[2] ?? '', remote);
}

/*
 * The wire detail is code, message and retryable flag. The structured fields a client sees on the
 * owner node (the field an INVALID_ARGUMENT names, the reason code of a risk refusal) are rebuilt
 * from the message, which the domain constructors write in a fixed form (`field: text`,
 * `risk check REASON: text`): no wire change, so peers of any version agree. Unit-tested in
 * errors.test.ts for every reason code and field shape.
 */
const FACTORIES: Partial<Record<StatusCode, ErrorFactory>> = {
  INVALID_ARGUMENT: (m, o) => {
    const split = splitField(m);
    return split === undefined
      ? new InvalidArgumentError('remote', m, o)
      : new InvalidArgumentError(split.field, split.text, o);
  },
  OUT_OF_RANGE: (m, o) => {
    const split = splitField(m);
    return split === undefined
      ? new OutOfRangeError('remote', m, o)
      : new OutOfRangeError(split.field, split.text, o);
  },
  FAILED_PRECONDITION: failedPrecondition,
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
 * The domain error for an ERROR envelope's detail: the class named by its code, with the message
 * the owner node raised (and, as there, the field of an INVALID_ARGUMENT / OUT_OF_RANGE and the
 * reason of a risk refusal). `details.remote` carries the wire fields.
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
