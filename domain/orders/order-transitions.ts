import type { OrderEventKind } from './order-events.ts';
import type { OrderStatus } from './order-status.ts';

/** For each status, the events it accepts and the statuses each may lead to. */
export type OrderTransitionTable = {
  readonly [S in OrderStatus]: { readonly [K in OrderEventKind]?: readonly OrderStatus[] };
};

/**
 * The order lifecycle: the single source of truth for which event is legal in which status.
 * A missing entry is an illegal transition (`IllegalOrderTransitionError`). Where an entry lists
 * two targets, `applyOrderEvent` picks by quantity:
 * - FILLED: `FILLED` when the fill completes the order, otherwise the partial target
 *   (`PARTIALLY_FILLED`, or `PENDING_CANCEL` while a cancel is outstanding).
 * - CANCEL_REJECTED: back to `PARTIALLY_FILLED` if anything is filled, else `ACKNOWLEDGED`.
 *
 * Choices worth knowing:
 * - NEW → REJECTED / CANCELLED: our own pre-trade checks refused it, or it was withdrawn before
 *   it was sent.
 * - PENDING_NEW → FILLED: a venue may report a fill before (or instead of) the acknowledgement
 *   (Binance FULL responses, WebSocket reports racing the REST answer); a fill implies acceptance.
 * - A repeated ACKNOWLEDGED in a working status is a harmless redelivery and keeps the status.
 * - No cancel before the acknowledgement: the order manager holds a cancel until the venue has
 *   answered, so the venue order id is known and CANCEL_REJECTED has a status to return to.
 * - PENDING_CANCEL accepts fills (the cancel raced an execution) and a repeated cancel request
 *   (a retry after a timeout).
 * - Terminal statuses (FILLED, CANCELLED, REJECTED, EXPIRED) accept nothing. A late fill whose
 *   trade id was already applied is reported as `DuplicateFillError`, in every status.
 */
export const ORDER_TRANSITIONS = {
  NEW: {
    SUBMITTED: ['PENDING_NEW'],
    REJECTED: ['REJECTED'],
    CANCELLED: ['CANCELLED'],
  },
  PENDING_NEW: {
    ACKNOWLEDGED: ['ACKNOWLEDGED'],
    REJECTED: ['REJECTED'],
    FILLED: ['PARTIALLY_FILLED', 'FILLED'],
    CANCELLED: ['CANCELLED'],
    EXPIRED: ['EXPIRED'],
  },
  ACKNOWLEDGED: {
    ACKNOWLEDGED: ['ACKNOWLEDGED'],
    FILLED: ['PARTIALLY_FILLED', 'FILLED'],
    CANCEL_REQUESTED: ['PENDING_CANCEL'],
    CANCELLED: ['CANCELLED'],
    EXPIRED: ['EXPIRED'],
  },
  PARTIALLY_FILLED: {
    ACKNOWLEDGED: ['PARTIALLY_FILLED'],
    FILLED: ['PARTIALLY_FILLED', 'FILLED'],
    CANCEL_REQUESTED: ['PENDING_CANCEL'],
    CANCELLED: ['CANCELLED'],
    EXPIRED: ['EXPIRED'],
  },
  PENDING_CANCEL: {
    ACKNOWLEDGED: ['PENDING_CANCEL'],
    FILLED: ['PENDING_CANCEL', 'FILLED'],
    CANCEL_REQUESTED: ['PENDING_CANCEL'],
    CANCEL_REJECTED: ['ACKNOWLEDGED', 'PARTIALLY_FILLED'],
    CANCELLED: ['CANCELLED'],
    EXPIRED: ['EXPIRED'],
  },
  FILLED: {},
  CANCELLED: {},
  REJECTED: {},
  EXPIRED: {},
} as const satisfies OrderTransitionTable;

/** The statuses `kind` may lead to from `status`; empty when the event is illegal there. */
export function orderTransitionTargets(status: OrderStatus, kind: OrderEventKind): readonly OrderStatus[] {
  const row: OrderTransitionTable[OrderStatus] = ORDER_TRANSITIONS[status];
  return row[kind] ?? [];
}

/** Whether `kind` is legal in `status`. */
export function canApplyOrderEvent(status: OrderStatus, kind: OrderEventKind): boolean {
  return orderTransitionTargets(status, kind).length > 0;
}
