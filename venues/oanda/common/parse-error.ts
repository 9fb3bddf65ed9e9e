import { InvalidArgumentError } from '../../../domain/errors.ts';

/**
 * A venue payload that is not valid JSON or not of the documented shape. Stream handlers log it with
 * the raw payload, count it and carry on; it never escapes a stream handler.
 */
export class MalformedPayloadError extends InvalidArgumentError {
  /** What was being parsed, e.g. `price`, `transaction`, `instruments`. */
  readonly payloadKind: string;

  constructor(payloadKind: string, field: string, message: string, options: { cause?: unknown } = {}) {
    super(`${payloadKind}.${field}`, message, options);
    this.payloadKind = payloadKind;
  }
}
