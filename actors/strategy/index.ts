// strategy/<id>: built-in strategies (the demo market maker), their supervision and health, and
// how they reach orders and books (docs/strategies.md).
export { STRATEGY_KIND, marketMakerActor } from './market-maker-actor.ts';
export type { MarketMakerDeps } from './market-maker-actor.ts';
export { MarketMakerConfigSchema, parseMarketMakerConfig } from './market-maker-config.ts';
export type { MarketMakerConfig, MarketMakerConfigWire } from './market-maker-config.ts';
export { computeQuotes, midMoved, midOf, validateQuoteParams } from './market-maker-quotes.ts';
export type { Quote, QuoteParams, Quotes } from './market-maker-quotes.ts';
export { RollingCount } from './rolling-count.ts';
export { STRATEGY_RESTARTS, StrategyHealth, StrategyState } from './strategy-health.ts';
export type { StrategyStatus } from './strategy-health.ts';
export { STRATEGY_COMMAND_TYPES } from './strategy-messages.ts';
export type { StrategyCommand, StrategyStopped } from './strategy-messages.ts';
export { strategyMetrics } from './strategy-metrics.ts';
export type { StrategyMetrics } from './strategy-metrics.ts';
export type { StrategyPorts } from './strategy-orders.ts';
export { supervisedTick } from './supervised-tick.ts';
export type { TickState } from './supervised-tick.ts';
