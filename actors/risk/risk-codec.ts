// `risk/<key>` across nodes: commands are JSON already; a reply (RiskLimits, which holds maps and
// decimals) travels as the full limits update that rebuilds it from empty limits.
import { emptyRiskLimits, updateRiskLimits } from '../../domain/index.ts';
import type { RiskLimits, RiskLimitsUpdate } from '../../domain/index.ts';
import { jsonMessageCodec } from '../../cluster/index.ts';
import type { MessageCodec } from '../../cluster/index.ts';
import type { RiskCommand } from './risk-limits-actor.ts';

/** The key of the cluster-wide limits (only its kill switch is used): `risk/cluster`. */
export const CLUSTER_RISK_KEY = 'cluster';

/** The update that turns empty limits into `limits` (every limit set, none removed). */
export function riskLimitsJson(limits: RiskLimits): RiskLimitsUpdate {
  const venues: Record<string, Record<string, string>> = {};
  for (const [key, quantity] of limits.maxVenuePosition) {
    const [venue = '', asset = ''] = key.split(':');
    (venues[venue] ??= {})[asset] = quantity.toString();
  }
  return {
    killSwitch: limits.killSwitch,
    maxOrderNotional: Object.fromEntries([...limits.maxOrderNotional].map(([c, m]) => [c, m.toString()])),
    maxPosition: Object.fromEntries([...limits.maxPosition].map(([i, q]) => [i, q.toString()])),
    maxVenuePosition: venues,
    ...(limits.maxOpenOrders === undefined ? {} : { maxOpenOrders: limits.maxOpenOrders }),
    ...(limits.orderRate === undefined ? {} : { orderRate: { ...limits.orderRate } }),
    ...(limits.priceBandBps === undefined ? {} : { priceBandBps: limits.priceBandBps }),
  };
}

/** Limits from their JSON form (validated: a bad value is INVALID_ARGUMENT naming it). */
export function riskLimitsFromJson(json: unknown): RiskLimits {
  return updateRiskLimits(emptyRiskLimits(), json);
}

export function riskMessageCodec(): MessageCodec<RiskCommand> {
  const json = jsonMessageCodec<RiskCommand>({ types: ['get', 'update'] });
  return {
    encodeMessage: (message) => json.encodeMessage(message),
    decodeMessage: (type, payload, replyTo) => json.decodeMessage(type, payload, replyTo),
    encodeReply: (reply) => json.encodeReply(riskLimitsJson(reply as RiskLimits)),
    decodeReply: (type, payload) => riskLimitsFromJson(json.decodeReply(type, payload)),
  };
}
