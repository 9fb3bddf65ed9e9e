import type { ClientOrderId, Order, OrderRateBucket } from '../../domain/index.ts';

/** A caller waiting for an order to leave PENDING_NEW (a placement answered by the venue). */
export type OrderWaiter = (order: Order) => void;

/**
 * What an order manager activation keeps outside its journal: lost on restart by design (callers
 * retry with the same client order id; the order-rate bucket starts full; reconciliation runs).
 */
export class OrderRuntime {
  /** Set once the first message of this activation has subscribed to venues and started reconciliation. */
  started = false;
  /** Placements decided (intent journaled or being journaled) and not yet answered by the connector. */
  readonly placing = new Set<ClientOrderId>();
  /** Cancels asked for before the venue acknowledged the order; sent once it does. */
  readonly heldCancels = new Set<ClientOrderId>();
  /** Callers of `place` waiting for the venue's answer. */
  readonly waiters = new Map<ClientOrderId, OrderWaiter[]>();
  /** Orders being observed at the venue (ack timeout, terminal status without its fills). */
  readonly observing = new Set<ClientOrderId>();
  /** Cancels decided (their request being journaled) or sent, and not yet answered. */
  readonly cancelling = new Set<ClientOrderId>();
  reconciling = false;
  bucket: OrderRateBucket | undefined;
  /**
   * The acknowledgement deadline of each order sent and not yet answered by the venue, cleared
   * when the answer comes: a timer per order that outlived its answer kept its closure for the
   * whole timeout (promoted by the GC, one at every placement) and woke the actor for nothing.
   */
  readonly #ackTimers = new Map<ClientOrderId, ReturnType<typeof setTimeout>>();

  /** Told when a finished order leaves the state (e.g. to forget its venue client order id). */
  onEvicted: ((clientOrderId: ClientOrderId) => void) | undefined;

  evicted(clientOrderId: ClientOrderId): void {
    this.onEvicted?.(clientOrderId);
  }

  wait(clientOrderId: ClientOrderId, waiter: OrderWaiter): void {
    const list = this.waiters.get(clientOrderId);
    if (list === undefined) this.waiters.set(clientOrderId, [waiter]);
    else list.push(waiter);
  }

  /** Runs `expire` after `ms` unless the venue answers the order first (replaces an earlier deadline). */
  armAckTimer(clientOrderId: ClientOrderId, ms: number, expire: () => void): void {
    clearTimeout(this.#ackTimers.get(clientOrderId));
    const timer = setTimeout(() => {
      this.#ackTimers.delete(clientOrderId);
      expire();
    }, ms);
    timer.unref();
    this.#ackTimers.set(clientOrderId, timer);
  }

  /** The venue answered the order (it left PENDING_NEW): answers everyone waiting on it. */
  resolve(order: Order): void {
    const timer = this.#ackTimers.get(order.clientOrderId);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#ackTimers.delete(order.clientOrderId);
    }
    const list = this.waiters.get(order.clientOrderId);
    if (list === undefined) return;
    this.waiters.delete(order.clientOrderId);
    for (const waiter of list) waiter(order);
  }
}
