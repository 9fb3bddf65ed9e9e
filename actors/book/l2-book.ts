import { InvalidArgumentError } from '../../domain/errors.ts';
import { MAX_PRECISION } from '../../domain/values/index.ts';
import type { Price, Quantity } from '../../domain/values/index.ts';
import type { BookDelta, BookLevel, BookSnapshot } from '../../venues/venue-connector.ts';

/** Prices are compared as integers at the finest precision a decimal may have, so any venue's tick fits. */
function priceKey(price: Price): bigint {
  return price.raw * 10n ** BigInt(MAX_PRECISION - price.precision);
}

/** One side: levels by price key, and the keys sorted best first (binary search on change). */
class Side {
  readonly #levels = new Map<bigint, BookLevel>();
  /** Best first: descending for bids, ascending for asks. */
  readonly #keys: bigint[] = [];

  constructor(private readonly descending: boolean) {}

  get size(): number {
    return this.#keys.length;
  }

  clear(): void {
    this.#levels.clear();
    this.#keys.length = 0;
  }

  /** Sets the level to its absolute quantity; zero removes it (removing an absent level is normal). */
  set(price: Price, quantity: Quantity): void {
    const key = priceKey(price);
    if (quantity.isZero()) {
      if (!this.#levels.delete(key)) return;
      this.#keys.splice(this.#index(key), 1);
      return;
    }
    if (!this.#levels.has(key)) this.#keys.splice(this.#index(key), 0, key);
    this.#levels.set(key, { price, quantity });
  }

  best(): BookLevel | undefined {
    const key = this.#keys[0];
    return key === undefined ? undefined : this.#levels.get(key);
  }

  top(depth: number): BookLevel[] {
    return this.#keys.slice(0, depth).map((key) => this.#levels.get(key) as BookLevel);
  }

  /** Where `key` is or would be inserted. */
  #index(key: bigint): number {
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.#keys[mid] as bigint;
      const before = this.descending ? at > key : at < key;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function checkLevel(level: BookLevel, field: string): void {
  if (!level.price.isPositive())
    throw new InvalidArgumentError(`${field}.price`, 'must be greater than zero');
  if (level.quantity.sign() < 0) throw new InvalidArgumentError(`${field}.quantity`, 'must not be negative');
}

/**
 * A venue-neutral L2 book: absolute quantities per price level, replaced by a snapshot and changed
 * by deltas (zero removes a level). Every level of an update is validated before any is applied, so
 * a bad update leaves the book as it was.
 */
export class L2Book {
  readonly bids = new Side(true);
  readonly asks = new Side(false);
  sequence = 0;
  timestamp = 0;

  reset(snapshot: BookSnapshot): void {
    this.#check(snapshot);
    this.bids.clear();
    this.asks.clear();
    this.#apply(snapshot);
  }

  /** Applies a delta newer than the book; false (and no change) for one at or below `sequence`. */
  apply(delta: BookDelta): boolean {
    if (delta.sequence <= this.sequence) return false;
    this.#check(delta);
    this.#apply(delta);
    return true;
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.sequence = 0;
  }

  /** Best bid at or above best ask: a book that cannot be right. */
  crossed(): boolean {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid !== undefined && ask !== undefined && priceKey(bid.price) >= priceKey(ask.price);
  }

  #check(update: BookSnapshot | BookDelta): void {
    update.bids.forEach((level, i) => checkLevel(level, `bids[${i}]`));
    update.asks.forEach((level, i) => checkLevel(level, `asks[${i}]`));
  }

  #apply(update: BookSnapshot | BookDelta): void {
    for (const level of update.bids) this.bids.set(level.price, level.quantity);
    for (const level of update.asks) this.asks.set(level.price, level.quantity);
    this.sequence = update.sequence;
    this.timestamp = update.timestamp;
  }
}
