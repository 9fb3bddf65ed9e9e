import { MarketDataGenerator } from '../../paper/index.ts';
import type { MatchingEngine } from '../../paper/index.ts';
import type { SimSymbol } from './common/instruments.ts';

/** The accounts the simulator's own flow trades from: resting liquidity, and the taker that crosses it. */
export const MARKET_MAKER_ACCOUNT = 'sim-market-maker';
export const TAKER_ACCOUNT = 'sim-taker';

/**
 * The simulator's background market: one seeded paper MarketDataGenerator per symbol (a maker quoting
 * around a random-walk mid, a taker crossing it), stepped round-robin.
 */
export class SimOrderFlow {
  readonly #generators: MarketDataGenerator[];
  #next = 0;

  constructor(engine: MatchingEngine, symbols: readonly SimSymbol[], seed = 1) {
    this.#generators = symbols.map(
      (s, i) =>
        new MarketDataGenerator({
          engine,
          instrumentId: s.spec.id,
          seed: seed * 1000 + i,
          initialMid: s.referencePrice,
          makerAccountId: MARKET_MAKER_ACCOUNT,
          takerAccountId: TAKER_ACCOUNT,
        }),
    );
  }

  /** Builds an initial book: about `levels` resting quotes per side on every symbol. */
  seed(levels: number): void {
    for (const generator of this.#generators) generator.step(levels * 4);
  }

  /** `count` generator actions, spread round-robin over the symbols; returns the actions run. */
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
