import { NinjaError } from '../domain/errors.ts';

/** The method exists in the API but what backs it (e.g. the order manager) is not built yet. */
export class UnimplementedError extends NinjaError {
  readonly code = 'UNIMPLEMENTED';
  readonly retryable = false;
}
