import { FailedPreconditionError } from '../errors.ts';
import type { RiskReason } from './risk-reason.ts';

/** A pre-trade check refused the order; nothing was journaled or sent. Retrying as is cannot help. */
export class RiskRejectedError extends FailedPreconditionError {
  readonly reason: RiskReason;

  constructor(reason: RiskReason, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(`risk check ${reason}: ${message}`, { details: { reason, ...details } });
    this.reason = reason;
  }
}
