import { FailedPreconditionError, NotFoundError } from '../../domain/errors.ts';
import type { NinjaErrorOptions } from '../../domain/errors.ts';

/** A query named an instrument the engine was not built with (gRPC NOT_FOUND). */
export class UnknownInstrumentError extends NotFoundError {
  readonly instrumentId: string;
  constructor(instrumentId: string, options: NinjaErrorOptions = {}) {
    super(`unknown instrument ${JSON.stringify(instrumentId)}`, {
      ...options,
      details: { instrumentId, ...options.details },
    });
    this.instrumentId = instrumentId;
  }
}

/** A withdrawal larger than the free balance (gRPC FAILED_PRECONDITION). */
export class InsufficientFundsError extends FailedPreconditionError {
  readonly accountId: string;
  readonly asset: string;
  constructor(accountId: string, asset: string, message: string, options: NinjaErrorOptions = {}) {
    super(message, { ...options, details: { accountId, asset, ...options.details } });
    this.accountId = accountId;
    this.asset = asset;
  }
}
