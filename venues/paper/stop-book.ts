import type { WorkingOrder } from './working-order.ts';

/**
 * Stop orders waiting for their trigger. A buy stop triggers when the last trade price is at or
 * above its stop price, a sell stop at or below. Each side is sorted so that the next stop to trigger
 * is last (a pop), and among equal stop prices the oldest triggers first.
 */
export class StopBook {
  /** Descending stop price; within one price, newest first. */
  private readonly buys: WorkingOrder[] = [];
  /** Ascending stop price; within one price, newest first. */
  private readonly sells: WorkingOrder[] = [];

  get size(): number {
    return this.buys.length + this.sells.length;
  }

  add(order: WorkingOrder): void {
    const list = order.isBuy ? this.buys : this.sells;
    const stop = order.stopPrice;
    // The new order has the highest id, so it goes before every order with the same stop price.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = (list[mid] as WorkingOrder).stopPrice;
      const before = order.isBuy ? other > stop : other < stop;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, order);
  }

  remove(order: WorkingOrder): boolean {
    const list = order.isBuy ? this.buys : this.sells;
    const index = list.indexOf(order);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Removes and returns every stop triggered by a trade at `lastPrice`, oldest first. */
  takeTriggered(lastPrice: bigint): WorkingOrder[] {
    const triggered: WorkingOrder[] = [];
    const buys = this.buys;
    while (buys.length > 0 && (buys[buys.length - 1] as WorkingOrder).stopPrice <= lastPrice) {
      triggered.push(buys.pop() as WorkingOrder);
    }
    const sells = this.sells;
    while (sells.length > 0 && (sells[sells.length - 1] as WorkingOrder).stopPrice >= lastPrice) {
      triggered.push(sells.pop() as WorkingOrder);
    }
    if (triggered.length > 1) triggered.sort((a, b) => a.id - b.id);
    return triggered;
  }

  /** Whether a stop at `stopPrice` on this side would trigger at once given `lastPrice`. */
  static wouldTrigger(isBuy: boolean, stopPrice: bigint, lastPrice: bigint): boolean {
    return isBuy ? lastPrice >= stopPrice : lastPrice <= stopPrice;
  }
}
