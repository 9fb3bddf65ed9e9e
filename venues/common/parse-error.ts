import { InvalidArgumentError } from '../../domain/errors.ts';

/**
 * A venue payload that is not valid JSON or does not have the documented shape. Callers on a stream
 * log it with the raw payload, count it and carry on; it must never escape a stream handler.
 */
export class MalformedPayloadError extends InvalidArgumentError {
  /** What was being parsed, e.g. `depthUpdate`, `l2_data`, `price`. */
  readonly payloadKind: string;

  constructor(payloadKind: string, field: string, message: string, options: { cause?: unknown } = {}) {
    super(`${payloadKind}.${field}`, message, options);
    this.payloadKind = payloadKind;
  }
}
