import { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import type { MatchingEngine, Prng } from '../../paper/index.ts';
import type { SimSymbol } from './common/instruments.ts';

/** The accounts the simulator's own flow trades from: resting liquidity, and the taker that crosses it. */
export const MARKET_MAKER_ACCOUNT = 'sim-market-maker';
export const TAKER_ACCOUNT = 'sim-taker';

/**
 * Seeded background order flow for the simulator: a ladder of resting orders around the reference
 * price at start, then each step places, cancels or crosses a few orders. Integers only: prices are
 * reference ± whole ticks, sizes whole multiples of the step.
 */
export class SimOrderFlow {
  readonly #engine: MatchingEngine;
  readonly #random: Prng;
  readonly #symbols: readonly SimSymbol[];
  #next = 1;

  constructor(engine: MatchingEngine, symbols: readonly SimSymbol[]) {
    this.#engine = engine;
    this.#random = engine.random;
    this.#symbols = symbols;
    const assets = new Set(symbols.flatMap((s) => [s.spec.base, s.spec.quote]));
    for (const asset of assets) {
      engine.deposit(MARKET_MAKER_ACCOUNT, asset, FixedDecimal.parse('1000000000'));
      engine.deposit(TAKER_ACCOUNT, asset, FixedDecimal.parse('1000000000'));
    }
  }

  /** Rests `levels` bids and asks one tick apart on each side of the reference price. */
  seed(levels: number): void {
    for (const s of this.#symbols) {
      for (let i = 1; i <= levels; i++) {
        this.#place(s, 'BUY', -i);
        this.#place(s, 'SELL', i);
      }
    }
  }

  /** `count` random actions on random symbols: mostly new resting orders, some cancels, some crossing. */
  step(count: number): number {
    let done = 0;
    for (let n = 0; n < count; n++) {
      const s = this.#symbols[this.#random.nextInt(this.#symbols.length)];
      if (s === undefined) return done;
      const roll = this.#random.nextFloat();
      if (roll < 0.6) {
        const side = this.#random.chance(0.5) ? 'BUY' : 'SELL';
        const ticks = 1 + this.#random.nextInt(20);
        if (this.#place(s, side, side === 'BUY' ? -ticks : ticks)) done++;
      } else if (roll < 0.85) {
        const open = this.#engine.openOrders(MARKET_MAKER_ACCOUNT, s.spec.id);
        const victim = open[this.#random.nextInt(Math.max(1, open.length))];
        if (
          victim !== undefined &&
          this.#engine.cancel(MARKET_MAKER_ACCOUNT, { orderId: victim.orderId }, s.spec.id).cancelled
        )
          done++;
      } else {
        const side = this.#random.chance(0.5) ? 'BUY' : 'SELL';
        // A different account, so self-trade prevention does not expire it against the maker.
        const result = this.#engine.submit(TAKER_ACCOUNT, {
          clientOrderId: `flow-${this.#next++}`,
          instrumentId: s.spec.id,
          side,
          type: 'MARKET',
          timeInForce: 'IOC',
          quantity: this.#size(s),
        });
        if (result.accepted) done++;
      }
    }
    return done;
  }

  #size(s: SimSymbol): Quantity {
    const steps = BigInt(1 + this.#random.nextInt(50));
    const minSteps = s.spec.minQty.raw === 0n ? 1n : s.spec.minQty.raw;
    const step = s.spec.stepSize;
    // Large enough to clear the minimum notional at the reference price.
    const notionalSteps =
      (s.spec.minNotional.raw * 10n ** BigInt(step.precision + s.referencePrice.precision)) /
        (10n ** BigInt(s.spec.minNotional.precision) * s.referencePrice.raw * step.raw) +
      1n;
    const raw = (steps + notionalSteps + minSteps) * step.raw;
    return Quantity.fromRaw(raw, step.precision);
  }

  #place(s: SimSymbol, side: 'BUY' | 'SELL', ticks: number): boolean {
    const tick = s.spec.tickSize;
    const scale = 10n ** BigInt(Math.max(0, tick.precision - s.referencePrice.precision));
    const ref = s.referencePrice.raw * scale;
    const raw = ref + BigInt(ticks) * tick.raw;
    if (raw <= 0n) return false;
    const result = this.#engine.submit(MARKET_MAKER_ACCOUNT, {
      clientOrderId: `flow-${this.#next++}`,
      instrumentId: s.spec.id,
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: this.#size(s),
      price: Price.fromRaw(raw, Math.max(tick.precision, s.referencePrice.precision)),
    });
    return result.accepted;
  }
}
