/**
 * One side of an L2 book: exact levels in a Map keyed by the raw price (an integer at the book's
 * price precision) plus a sorted array of those prices, best first, kept by binary search so top of
 * book is O(1) and an update is O(log n) search + one splice.
 */
export class BookSide {
  readonly #levels = new Map<bigint, bigint>();
  readonly #prices: bigint[] = [];
  /** True for bids (best = highest), false for asks (best = lowest). */
  readonly #descending: boolean;

  constructor(descending: boolean) {
    this.#descending = descending;
  }

  get size(): number {
    return this.#prices.length;
  }

  /** Sets the quantity at `price`; zero removes the level (removing an absent level is normal). */
  set(price: bigint, quantity: bigint): void {
    if (quantity === 0n) {
      if (this.#levels.delete(price)) this.#prices.splice(this.#search(price), 1);
      return;
    }
    if (!this.#levels.has(price)) this.#prices.splice(this.#search(price), 0, price);
    this.#levels.set(price, quantity);
  }

  get(price: bigint): bigint | undefined {
    return this.#levels.get(price);
  }

  /** Best price, or undefined when the side is empty. */
  bestPrice(): bigint | undefined {
    return this.#prices[0];
  }

  /** The first `depth` levels, best first, as [rawPrice, rawQuantity]. */
  top(depth: number): Array<readonly [bigint, bigint]> {
    const n = Math.min(depth, this.#prices.length);
    const out = new Array<readonly [bigint, bigint]>(n);
    for (let i = 0; i < n; i++) {
      const p = this.#prices[i] as bigint;
      out[i] = [p, this.#levels.get(p) as bigint];
    }
    return out;
  }

  clear(): void {
    this.#levels.clear();
    this.#prices.length = 0;
  }

  // Index of `price` if present, else where it would be inserted to keep best-first order.
  #search(price: bigint): number {
    const prices = this.#prices;
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = prices[mid] as bigint;
      if (p === price) return mid;
      if (this.#descending ? p > price : p < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
