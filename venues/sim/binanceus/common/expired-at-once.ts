import type { PaperOrder } from '../../../paper/index.ts';

/** Ids of orders expired at once: far above the engine's, so the two never meet. */
const EXPIRED_AT_ONCE_BASE = 9_000_000_000_000;

/**
 * Orders the venue expired at once without the engine ever holding them (a FOK that cannot fill, a
 * MARKET order into an empty book), findable by order id and by client order id like the engine's
 * closed orders, and like them only for a window: the newest `capacity` are kept (the engine keeps
 * its closed orders for a window of its own; keeping these forever grew without bound).
 */
export class ExpiredAtOnceOrders {
  readonly #byKey = new Map<string, PaperOrder>();
  /** Oldest first. */
  readonly #kept: PaperOrder[] = [];
  #issued = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  }

  /** The id of the next such order (consecutive, whatever has been dropped). */
  nextOrderId(): string {
    this.#issued += 1;
    return String(EXPIRED_AT_ONCE_BASE + this.#issued);
  }

  /** Keeps `order`; returns the order that had to be dropped to make room, if any. */
  add(order: PaperOrder): PaperOrder | undefined {
    this.#byKey.set(idKey(order.accountId, order.orderId), order);
    // A newer order with the same client id is the one a lookup by client id finds (as in the engine).
    this.#byKey.set(clientKey(order.accountId, order.clientOrderId), order);
    this.#kept.push(order);
    if (this.#kept.length <= this.capacity) return undefined;
    const dropped = this.#kept.shift() as PaperOrder;
    this.#byKey.delete(idKey(dropped.accountId, dropped.orderId));
    const byClient = clientKey(dropped.accountId, dropped.clientOrderId);
    if (this.#byKey.get(byClient) === dropped) this.#byKey.delete(byClient);
    return dropped;
  }

  byOrderId(accountId: string, orderId: string): PaperOrder | undefined {
    return this.#byKey.get(idKey(accountId, orderId));
  }

  byClientOrderId(accountId: string, clientOrderId: string): PaperOrder | undefined {
    return this.#byKey.get(clientKey(accountId, clientOrderId));
  }

  get size(): number {
    return this.#kept.length;
  }
}

function idKey(accountId: string, orderId: string): string {
  return `${accountId}|id|${orderId}`;
}

function clientKey(accountId: string, clientOrderId: string): string {
  return `${accountId}|client|${clientOrderId}`;
}
