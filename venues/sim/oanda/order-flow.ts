import { MarketDataGenerator } from '../../paper/index.ts';
import type { MatchingEngine } from '../../paper/index.ts';
import type { SimInstrument } from './common/instruments.ts';

/** The accounts the simulator's own market trades from (liquidity provider and a taker crossing it). */
export const MARKET_MAKER_ACCOUNT = 'oanda-sim-liquidity';
export const TAKER_ACCOUNT = 'oanda-sim-taker';

/**
 * The simulator's background market: one seeded paper MarketDataGenerator per instrument, quoting
 * FX-sized orders (tens of thousands of units) around a random-walk mid, stepped round-robin.
 */
export class OandaSimOrderFlow {
  readonly #generators: MarketDataGenerator[];
  #next = 0;

  constructor(engine: MatchingEngine, instruments: readonly SimInstrument[], seed: number) {
    this.#generators = instruments.map(
      (i, n) =>
        new MarketDataGenerator({
          engine,
          instrumentId: i.name,
          seed: seed * 1000 + n,
          initialMid: i.referencePrice,
          volatility: 0.00005,
          meanSizeSteps: 50_000,
          makerAccountId: MARKET_MAKER_ACCOUNT,
          takerAccountId: TAKER_ACCOUNT,
        }),
    );
  }

  /** About `levels` resting quotes per side on every instrument. */
  seed(levels: number): void {
    for (const g of this.#generators) g.step(levels * 4);
  }

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
