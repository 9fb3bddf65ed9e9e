import type { Price } from '../../domain/values/index.ts';
import { PendingSum } from './pending-sum.ts';
import type { WorkingOrder } from './working-order.ts';

/** All orders resting at one price, oldest first, with their total remaining quantity. */
export class PriceLevel {
  /** Raw at the tick's precision. */
  readonly price: bigint;
  readonly priceObj: Price;
  /** Σ remaining quantity of the queued orders, changed by every add, cancel and fill (see PendingSum). */
  readonly totalSum = new PendingSum();
  count = 0;
  head: WorkingOrder | null = null;
  tail: WorkingOrder | null = null;
  /** Command mark of the last change, to report each changed level once per command. */
  mark = 0;
  readonly isBid: boolean;

  constructor(price: bigint, priceObj: Price, isBid: boolean) {
    this.price = price;
    this.priceObj = priceObj;
    this.isBid = isBid;
  }

  /** Σ remaining quantity of the queued orders, raw at the step's precision. */
  get total(): bigint {
    return this.totalSum.value;
  }
}

/**
 * One side of a book: levels in a sorted array with the best price LAST, so that consuming the top
 * of the book is a pop and most insertions (near the touch) move few elements. Levels are found by
 * binary search on the raw bigint price.
 */
export class BookSide {
  readonly levels: PriceLevel[] = [];
  constructor(readonly isBid: boolean) {}

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** Index of the level at `price`, or `-(insertion index) - 1` when there is none. */
  search(price: bigint): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length - 1;
    if (this.isBid) {
      // Ascending prices: best (highest) bid last.
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = (levels[mid] as PriceLevel).price;
        if (p < price) lo = mid + 1;
        else if (p > price) hi = mid - 1;
        else return mid;
      }
    } else {
      // Descending prices: best (lowest) ask last.
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = (levels[mid] as PriceLevel).price;
        if (p > price) lo = mid + 1;
        else if (p < price) hi = mid - 1;
        else return mid;
      }
    }
    return -lo - 1;
  }

  /** The level at `price`, created (empty) when missing. */
  levelAt(price: bigint, priceObj: Price): PriceLevel {
    const levels = this.levels;
    const last = levels[levels.length - 1];
    if (last !== undefined && last.price === price) return last;
    const index = this.search(price);
    if (index >= 0) return levels[index] as PriceLevel;
    const level = new PriceLevel(price, priceObj, this.isBid);
    const at = -index - 1;
    if (at === levels.length) levels.push(level);
    else levels.splice(at, 0, level);
    return level;
  }

  /** Removes an empty level. */
  drop(level: PriceLevel): void {
    const levels = this.levels;
    if (levels[levels.length - 1] === level) {
      levels.pop();
      return;
    }
    const index = this.search(level.price);
    if (index >= 0) levels.splice(index, 1);
  }
}

/**
 * A price-time priority limit order book for one instrument. Every change of a level's total is
 * numbered (`sequence`); while `tracking`, changed levels are collected once per command for the
 * diff-depth book event.
 */
export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  /** Number of level changes so far. */
  sequence = 0;
  /** Book sequence before the first change not yet reported in a book event. */
  commandStart = 0;
  tracking = false;
  /** Starts at 1 so that new levels (mark 0) always count as unchanged. */
  mark = 1;
  readonly changed: PriceLevel[] = [];

  private touch(level: PriceLevel): void {
    this.sequence++;
    if (this.tracking && level.mark !== this.mark) {
      if (this.changed.length === 0) this.commandStart = this.sequence - 1;
      level.mark = this.mark;
      this.changed.push(level);
    }
  }

  /** Appends an order to the back of its price level's queue. */
  add(order: WorkingOrder, priceObj: Price): void {
    const side = order.isBuy ? this.bids : this.asks;
    const level = side.levelAt(order.price, priceObj);
    order.level = level;
    order.next = null;
    order.prev = level.tail;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.count++;
    level.totalSum.add(order.filled === 0n ? order.quantity : order.quantity - order.filled);
    this.touch(level);
  }

  /** Takes an order out of its queue (cancel), removing the level when it empties. */
  remove(order: WorkingOrder): void {
    const level = order.level;
    if (level === null) return;
    level.totalSum.subtract(order.filled === 0n ? order.quantity : order.quantity - order.filled);
    this.unlink(level, order);
    this.touch(level);
  }

  /** Records that `quantity` of the order at the head of `level` traded. */
  traded(level: PriceLevel, quantity: bigint): void {
    level.totalSum.subtract(quantity);
    this.touch(level);
  }

  /** Removes a fully filled order (its quantity was already taken off by `traded`). */
  removeFilled(order: WorkingOrder): void {
    const level = order.level;
    if (level !== null) this.unlink(level, order);
  }

  private unlink(level: PriceLevel, order: WorkingOrder): void {
    const prev = order.prev;
    const next = order.next;
    if (prev === null) level.head = next;
    else prev.next = next;
    if (next === null) level.tail = prev;
    else next.prev = prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    level.count--;
    if (level.count === 0) (level.isBid ? this.bids : this.asks).drop(level);
  }
}
