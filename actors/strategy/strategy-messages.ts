import type { MarketMakerConfigWire } from './market-maker-config.ts';

/**
 * What `strategy/<id>` accepts: a tick from the node's strategy driver carrying the strategy's
 * config (JSON, so the tick reaches the strategy on whichever node hosts it).
 */
export type StrategyCommand = { readonly type: 'strategy-tick'; readonly config: MarketMakerConfigWire };

export const STRATEGY_COMMAND_TYPES: readonly StrategyCommand['type'][] = ['strategy-tick'];
