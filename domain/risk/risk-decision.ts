import type { RiskReason } from './risk-reason.ts';

/** The outcome of a pre-trade check: approved, or refused with the first rule that failed. */
export type RiskDecision =
  | { readonly approved: true }
  | {
      readonly approved: false;
      readonly reason: RiskReason;
      /** Says which values broke the rule, e.g. "notional 120000 USD above the limit 100000 USD". */
      readonly message: string;
    };

export const APPROVED: RiskDecision = Object.freeze({ approved: true });

export function refused(reason: RiskReason, message: string): RiskDecision {
  return Object.freeze({ approved: false, reason, message });
}
