import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Price } from '../../domain/values/index.ts';
import type { MatchingEngine } from './matching-engine.ts';

export interface MarketDataGeneratorOptions {
  readonly engine: MatchingEngine;
  readonly instrumentId: string;
  /** Same seed, same engine state and same calls: same orders. */
  readonly seed: number;
  /** Where the mid starts; a positive multiple of the tick. */
  readonly initialMid: Price;
  /** Standard deviation of the mid's log return per action, e.g. 0.0005 (0.05 %). Default 0.0002. */
  readonly volatility?: number;
  /** Mean log return per action. Default 0. */
  readonly drift?: number;
  /** Rests the passive orders. Default `paper-mm-<instrumentId>`. */
  readonly makerAccountId?: string;
  /** Sends the marketable orders (a second account, so self-trade prevention does not stop them). */
  readonly takerAccountId?: string;
  /** Relative weights of the three actions. Defaults 0.55 / 0.30 / 0.15. */
  readonly limitWeight?: number;
  readonly cancelWeight?: number;
  readonly marketableWeight?: number;
  /**
   * Mean distance of a new limit order from the mid, in ticks. Default: twice the mid's typical move
   * per action (volatility × mid), at least 4 ticks, so that the book is about as wide as the walk.
   */
  readonly meanDistanceTicks?: number;
  /** Mean order size in steps above the minimum. Default 20. */
  readonly meanSizeSteps?: number;
  /** The maker keeps at most this many orders; above it, it cancels instead of placing. Default 400. */
  readonly maxOpenOrders?: number;
  /**
   * What each liquidity account is funded with (and topped up by when an order finds its balance
   * short), as decimal text in the asset's units. Defaults: 1,000,000,000 quote; base worth as much.
   */
  readonly baseFunding?: string;
  readonly quoteFunding?: string;
}

/** Options with defaults applied and checked. */
export interface GeneratorSettings {
  readonly volatility: number;
  readonly drift: number;
  readonly makerAccountId: string;
  readonly takerAccountId: string;
  /** Cumulative action thresholds in [0, 1]. */
  readonly limitBelow: number;
  readonly cancelBelow: number;
  readonly meanDistanceTicks: number;
  readonly meanSizeSteps: number;
  readonly maxOpenOrders: number;
}

function nonNegative(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(field, `must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** `midTicks`: the initial mid in ticks, to size the default quote distance. */
export function generatorSettings(options: MarketDataGeneratorOptions, midTicks: number): GeneratorSettings {
  const limit = nonNegative('limitWeight', options.limitWeight ?? 0.55);
  const cancel = nonNegative('cancelWeight', options.cancelWeight ?? 0.3);
  const marketable = nonNegative('marketableWeight', options.marketableWeight ?? 0.15);
  const total = limit + cancel + marketable;
  if (total <= 0) throw new InvalidArgumentError('limitWeight', 'the action weights must not all be zero');
  const drift = options.drift ?? 0;
  if (!Number.isFinite(drift)) throw new InvalidArgumentError('drift', 'must be finite');
  const maxOpenOrders = options.maxOpenOrders ?? 400;
  if (!Number.isInteger(maxOpenOrders) || maxOpenOrders < 1) {
    throw new InvalidArgumentError('maxOpenOrders', 'must be a positive integer');
  }
  const makerAccountId = options.makerAccountId ?? `paper-mm-${options.instrumentId}`;
  const takerAccountId = options.takerAccountId ?? `paper-taker-${options.instrumentId}`;
  if (makerAccountId === takerAccountId) {
    throw new InvalidArgumentError('takerAccountId', 'must differ from makerAccountId');
  }
  const volatility = nonNegative('volatility', options.volatility ?? 0.0002);
  return {
    volatility,
    drift,
    makerAccountId,
    takerAccountId,
    limitBelow: limit / total,
    cancelBelow: (limit + cancel) / total,
    meanDistanceTicks: nonNegative(
      'meanDistanceTicks',
      options.meanDistanceTicks ?? Math.max(4, Math.round(2 * volatility * midTicks)),
    ),
    meanSizeSteps: nonNegative('meanSizeSteps', options.meanSizeSteps ?? 20),
    maxOpenOrders,
  };
}
