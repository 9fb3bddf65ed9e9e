import { UnavailableError } from '../domain/errors.ts';
import type { NinjaErrorOptions } from '../domain/errors.ts';

/**
 * This node is fenced (or not registered): it cannot renew its lease in time, so it must not take
 * or hold activations (UNAVAILABLE; retrying after it has recovered can help).
 */
export class FencedError extends UnavailableError {
  constructor(
    message = 'this node is fenced: its membership lease is not renewed in time',
    options: NinjaErrorOptions = {},
  ) {
    super(message, options);
  }
}
