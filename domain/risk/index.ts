export { AccountExposure } from './account-exposure.ts';
export type {
  ExposureInstrument,
  ExposurePositions,
  ExposureView,
  OpenOrderRisk,
} from './account-exposure.ts';
export { RiskRejectedError } from './errors.ts';
export { fullBucket, hasToken, refill, takeToken } from './order-rate-bucket.ts';
export type { OrderRateBucket } from './order-rate-bucket.ts';
export { checkNewOrder, valuationPrice } from './pre-trade-check.ts';
export type { PreTradeContext, PreTradeResult, ProposedOrder } from './pre-trade-check.ts';
export { APPROVED, refused } from './risk-decision.ts';
export type { RiskDecision } from './risk-decision.ts';
export { emptyRiskLimits, venueAssetKey } from './risk-limits.ts';
export type { OrderRateLimit, RiskLimits } from './risk-limits.ts';
export { RiskLimitsUpdateSchema, updateRiskLimits } from './risk-limits-update.ts';
export type { RiskLimitsUpdate } from './risk-limits-update.ts';
export { RiskReason } from './risk-reason.ts';
