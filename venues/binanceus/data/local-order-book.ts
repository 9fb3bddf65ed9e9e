import { InvalidArgumentError } from '../../../domain/errors.ts';
import { Price, Quantity } from '../../../domain/values/index.ts';
import type { FixedPoint } from '../../../domain/values/index.ts';
import type { DepthLevel } from '../common/index.ts';
import { BookSide } from './book-side.ts';

export interface TopOfBook {
  readonly bidPrice: Price | undefined;
  readonly bidQuantity: Quantity | undefined;
  readonly askPrice: Price | undefined;
  readonly askQuantity: Quantity | undefined;
}

export interface BookLevelView {
  readonly price: Price;
  readonly quantity: Quantity;
}

export interface LocalOrderBookOptions {
  /** Decimals every price is held at (Binance.US writes 8). */
  readonly pricePrecision?: number;
  readonly quantityPrecision?: number;
}

function scaled(value: FixedPoint, precision: number, field: string): bigint {
  if (value.precision === precision) return value.raw;
  if (value.precision < precision) return value.raw * 10n ** BigInt(precision - value.precision);
  const divisor = 10n ** BigInt(value.precision - precision);
  if (value.raw % divisor !== 0n) {
    throw new InvalidArgumentError(field, `has more than ${precision} significant decimals`);
  }
  return value.raw / divisor;
}

/** An exact L2 book for one symbol: absolute quantities per level, with the last applied update id. */
export class LocalOrderBook {
  readonly symbol: string;
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  readonly pricePrecision: number;
  readonly quantityPrecision: number;
  /** The update id the book reflects (snapshot lastUpdateId, then each applied event's `u`). */
  lastUpdateId = 0;

  constructor(symbol: string, options: LocalOrderBookOptions = {}) {
    this.symbol = symbol;
    this.pricePrecision = options.pricePrecision ?? 8;
    this.quantityPrecision = options.quantityPrecision ?? 8;
  }

  /** Replaces the whole book (a snapshot). */
  reset(lastUpdateId: number, bids: readonly DepthLevel[], asks: readonly DepthLevel[]): void {
    this.bids.clear();
    this.asks.clear();
    this.applyLevels(bids, asks);
    this.lastUpdateId = lastUpdateId;
  }

  /**
   * Sets each level to its absolute quantity (zero deletes). Every level is validated before any is
   * applied, so a bad level leaves the book untouched.
   */
  applyLevels(bids: readonly DepthLevel[], asks: readonly DepthLevel[]): void {
    const b = this.#rawLevels(bids, 'bids');
    const a = this.#rawLevels(asks, 'asks');
    for (let i = 0; i < b.length; i += 2) this.bids.set(b[i] as bigint, b[i + 1] as bigint);
    for (let i = 0; i < a.length; i += 2) this.asks.set(a[i] as bigint, a[i + 1] as bigint);
  }

  /** Applies raw (already scaled) levels: the hot path for generated or benchmarked updates. */
  setRaw(side: 'bid' | 'ask', price: bigint, quantity: bigint): void {
    (side === 'bid' ? this.bids : this.asks).set(price, quantity);
  }

  topOfBook(): TopOfBook {
    const bid = this.bids.top(1)[0];
    const ask = this.asks.top(1)[0];
    return {
      bidPrice: bid === undefined ? undefined : Price.fromRaw(bid[0], this.pricePrecision),
      bidQuantity: bid === undefined ? undefined : Quantity.fromRaw(bid[1], this.quantityPrecision),
      askPrice: ask === undefined ? undefined : Price.fromRaw(ask[0], this.pricePrecision),
      askQuantity: ask === undefined ? undefined : Quantity.fromRaw(ask[1], this.quantityPrecision),
    };
  }

  /** The best `depth` levels of each side as exact values. */
  depth(depth: number): { readonly bids: BookLevelView[]; readonly asks: BookLevelView[] } {
    const view = (rows: Array<readonly [bigint, bigint]>): BookLevelView[] =>
      rows.map(([p, q]) => ({
        price: Price.fromRaw(p, this.pricePrecision),
        quantity: Quantity.fromRaw(q, this.quantityPrecision),
      }));
    return { bids: view(this.bids.top(depth)), asks: view(this.asks.top(depth)) };
  }

  #rawLevels(levels: readonly DepthLevel[], field: string): bigint[] {
    const out = new Array<bigint>(levels.length * 2);
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as DepthLevel;
      out[2 * i] = scaled(level.price, this.pricePrecision, `${field}[${i}].price`);
      out[2 * i + 1] = scaled(level.quantity, this.quantityPrecision, `${field}[${i}].quantity`);
    }
    return out;
  }
}
