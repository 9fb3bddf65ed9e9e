import type { Price } from '../../domain/values/index.ts';
import { MarketDataGenerator } from '../paper/index.ts';
import type { MatchingEngine } from '../paper/index.ts';

/** One simulated market the background flow trades, in the venue's own instrument id. */
export interface SimMarket {
  readonly instrumentId: string;
  readonly referencePrice: Price;
  /** Per-action relative move of the mid (the generator's default when absent). */
  readonly volatility?: number;
  /** Mean order size in quantity steps (the generator's default when absent). */
  readonly meanSizeSteps?: number;
}

export interface SimOrderFlowOptions {
  readonly seed: number;
  /** The accounts the flow trades from: resting liquidity, and the taker that crosses it. */
  readonly makerAccountId: string;
  readonly takerAccountId: string;
}

/**
 * Every simulator's background market: one seeded paper MarketDataGenerator per market (a maker
 * quoting around a random-walk mid, a taker crossing it), stepped round-robin.
 */
export class SimOrderFlow {
  readonly #generators: MarketDataGenerator[];
  #next = 0;

  constructor(engine: MatchingEngine, markets: readonly SimMarket[], options: SimOrderFlowOptions) {
    this.#generators = markets.map(
      (m, i) =>
        new MarketDataGenerator({
          engine,
          instrumentId: m.instrumentId,
          seed: options.seed * 1000 + i,
          initialMid: m.referencePrice,
          makerAccountId: options.makerAccountId,
          takerAccountId: options.takerAccountId,
          ...(m.volatility !== undefined ? { volatility: m.volatility } : {}),
          ...(m.meanSizeSteps !== undefined ? { meanSizeSteps: m.meanSizeSteps } : {}),
        }),
    );
  }

  /** Builds an initial book: about `levels` resting quotes per side on every market. */
  seed(levels: number): void {
    for (const generator of this.#generators) generator.step(levels * 4);
  }

  /** `count` generator actions, spread round-robin over the markets; returns the actions run. */
  step(count: number): number {
    const n = this.#generators.length;
    if (n === 0) return 0;
    for (let i = 0; i < count; i++) {
      (this.#generators[this.#next % n] as MarketDataGenerator).step(1);
      this.#next++;
    }
    return count;
  }
}
