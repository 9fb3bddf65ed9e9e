// risk/<accountId>: the account's pre-trade limits (rules in domain/risk; docs/trading.md).
export { RiskRequest, riskLimitsKind } from './risk-limits-actor.ts';
export type { RiskCommand, RiskLimitsUpdated } from './risk-limits-actor.ts';
export { CLUSTER_RISK_KEY, riskLimitsFromJson, riskLimitsJson, riskMessageCodec } from './risk-codec.ts';
