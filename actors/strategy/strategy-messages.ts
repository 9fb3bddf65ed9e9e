import type { ReplyTo } from '../kernel/index.ts';
import type { MarketMakerConfigWire } from './market-maker-config.ts';

/**
 * What a strategy answers to `strategy-stop`: how many open orders it asked to cancel, and the client
 * order ids of its quotes the venue had not confirmed cancelled (or filled) when it stopped waiting.
 */
export interface StrategyStopped {
  readonly cancelled: number;
  readonly stillOpen: readonly string[];
}

/**
 * What `strategy/<id>` accepts (JSON, so a message reaches the strategy on whichever node hosts it):
 * - `strategy-tick`, from the node's strategy driver, carrying the strategy's config;
 * - `strategy-stop`, when the node stops its strategies: the strategy cancels its instrument's open
 *   orders (a market maker does not leave quotes resting on a venue it no longer watches), answers
 *   how many, and ignores later ticks of this activation.
 */
export type StrategyCommand =
  | { readonly type: 'strategy-tick'; readonly config: MarketMakerConfigWire }
  | {
      readonly type: 'strategy-stop';
      readonly config: MarketMakerConfigWire;
      readonly replyTo: ReplyTo<StrategyStopped>;
    };

export const STRATEGY_COMMAND_TYPES: readonly StrategyCommand['type'][] = ['strategy-tick', 'strategy-stop'];
