// arbitrage/<id>: cross-venue opportunity detection net of fees, and two-leg IOC execution through
// the order managers (docs/strategies.md).
export { ARBITRAGE_KIND, arbitrageActor } from './arbitrage-actor.ts';
export type { ArbitrageDeps } from './arbitrage-actor.ts';
export { ArbitrageConfigSchema, parseArbitrageConfig } from './arbitrage-config.ts';
export type { ArbitrageConfig, ArbitrageConfigWire, ArbitrageLeg } from './arbitrage-config.ts';
export { ARBITRAGE_COMMAND_TYPES } from './arbitrage-messages.ts';
export type { ArbitrageCommand } from './arbitrage-messages.ts';
export { arbitrageMetrics } from './arbitrage-metrics.ts';
export type { ArbitrageMetrics } from './arbitrage-metrics.ts';
export { bestOpportunity, netEdge } from './arbitrage-spread.ts';
export type { ArbitrageLimits, Opportunity, VenueQuote } from './arbitrage-spread.ts';
