import type { ClientOrderId, Order, OrderRateBucket } from '../../domain/index.ts';
import { SmallMap, SmallSet } from './small-collections.ts';

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
  readonly placing = new SmallSet<ClientOrderId>();
  /** Cancels asked for before the venue acknowledged the order; sent once it does. */
  readonly heldCancels = new Set<ClientOrderId>();
  /** Orders being observed at the venue (ack timeout, terminal status without its fills). */
  readonly observing = new Set<ClientOrderId>();
  /** Cancels decided (their request being journaled) or sent, and not yet answered. */
  readonly cancelling = new Set<ClientOrderId>();
  reconciling = false;
  bucket: OrderRateBucket | undefined;
  /**
   * Per order waiting for the venue's answer: its callers and its acknowledgement deadline, in ONE
   * entry, removed when the answer comes. Deadlines share one timer (armed for the earliest): a
   * timer per order cost a Timeout and two timer-list operations per placement, and a map per
   * concern cost a new backing table per order each (V8 gives a Map emptied by a delete a new
   * one, kept by the long-lived map until the next order's, so the scavenges promoted them). The
   * one entry is kept in arrays (SmallMap), as `placing` is: a long-lived Map or Set makes its new
   * tables in the old generation directly (small-collections.ts).
   */
  readonly #awaiting = new SmallMap<ClientOrderId, AwaitingAnswer>();
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the shared timer fires (performance.now()); Infinity while it is not armed. */
  #ackTimerAt = Number.POSITIVE_INFINITY;

  /** Told when a finished order leaves the state (e.g. to forget its venue client order id). */
  onEvicted: ((clientOrderId: ClientOrderId) => void) | undefined;

  evicted(clientOrderId: ClientOrderId): void {
    this.onEvicted?.(clientOrderId);
  }

  wait(clientOrderId: ClientOrderId, waiter: OrderWaiter): void {
    const awaiting = this.#awaiting.get(clientOrderId);
    if (awaiting === undefined) this.#awaiting.set(clientOrderId, new AwaitingAnswer([waiter]));
    else awaiting.waiters.push(waiter);
  }

  /** Runs `expire` after `ms` unless the venue answers the order first (replaces an earlier deadline). */
  armAckTimer(clientOrderId: ClientOrderId, ms: number, expire: () => void): void {
    let awaiting = this.#awaiting.get(clientOrderId);
    if (awaiting === undefined) {
      awaiting = new AwaitingAnswer([]);
      this.#awaiting.set(clientOrderId, awaiting);
    }
    awaiting.deadline = performance.now() + ms;
    awaiting.expire = expire;
    if (awaiting.deadline < this.#ackTimerAt) this.#armFor(awaiting.deadline);
  }

  /** The venue answered the order (it left PENDING_NEW): answers everyone waiting on it. */
  resolve(order: Order): void {
    const awaiting = this.#awaiting.get(order.clientOrderId);
    if (awaiting === undefined) return;
    // The shared timer stays armed: when it fires it finds this deadline gone.
    this.#awaiting.delete(order.clientOrderId);
    for (const waiter of awaiting.waiters) waiter(order);
  }

  #armFor(at: number): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimerAt = at;
    this.#ackTimer = setTimeout(() => this.#expireDue(), Math.max(0, at - performance.now()));
    this.#ackTimer.unref();
  }

  /** Expires every deadline due, then re-arms for the earliest left (if any). */
  #expireDue(): void {
    this.#ackTimer = undefined;
    this.#ackTimerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const due: (() => void)[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [clientOrderId, awaiting] of this.#awaiting.entries()) {
      const { deadline, expire } = awaiting;
      if (expire === undefined) continue;
      if (deadline > now) {
        next = Math.min(next, deadline);
        continue;
      }
      awaiting.expire = undefined;
      awaiting.deadline = Number.POSITIVE_INFINITY;
      if (awaiting.waiters.length === 0) this.#awaiting.delete(clientOrderId);
      due.push(expire);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#armFor(next);
    for (const expire of due) expire();
  }
}

/** One order's callers waiting for the venue's answer, and its acknowledgement deadline if armed. */
class AwaitingAnswer {
  /** performance.now() at which `expire` runs; Infinity when no deadline is armed. */
  deadline = Number.POSITIVE_INFINITY;
  expire: (() => void) | undefined = undefined;

  constructor(readonly waiters: OrderWaiter[]) {}
}
