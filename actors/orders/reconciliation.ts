import { OrderEvent, OrderStatus, isTerminalOrderStatus } from '../../domain/index.ts';
import type { ClientOrderId, Order } from '../../domain/index.ts';
import type { VenueFill, VenueOrderSnapshot } from '../../venues/venue-connector.ts';

/** What reconciliation repaired; each is logged and counted (`ninja_orders_repairs_total{repair}`). */
export const RepairKind = {
  /** The venue has no record of an order we sent: rejected, reason NEVER_RECEIVED. */
  NEVER_RECEIVED: 'never-received',
  /** The venue holds an order we had no acknowledgement for. */
  ACKNOWLEDGED: 'acknowledged',
  /** A fill the venue reports and we had not applied. */
  MISSING_FILL: 'missing-fill',
  /** The venue ended the order (cancelled, expired, rejected) and we had not heard. */
  STATUS: 'status',
  /** A venue order we had no record of, taken over. */
  ADOPTED: 'adopted',
  /** A venue order we had no record of, cancelled at the venue. */
  UNKNOWN_CANCELLED: 'unknown-cancelled',
  /**
   * An order we had asked the venue to cancel that the venue no longer knows (e.g. a paper venue
   * that lost its state with its node): cancelled, reason CANCEL_TARGET_GONE.
   */
  CANCEL_TARGET_GONE: 'cancel-target-gone',
} as const;
export type RepairKind = (typeof RepairKind)[keyof typeof RepairKind];

/** The reason text of an order the venue never received. */
export const NEVER_RECEIVED = 'venue never received it';

/** The reason text of an order cancelled because the venue, asked to cancel it, no longer knows it. */
export const CANCEL_TARGET_GONE = 'cancel requested and the venue has no record of the order';

/** What the venue says about one of our orders: its view (undefined: never received) and its fills. */
export interface OrderObservation {
  readonly clientOrderId: ClientOrderId;
  readonly snapshot: VenueOrderSnapshot | undefined;
  readonly fills: readonly VenueFill[];
}

export interface PlannedRepair {
  readonly kind: RepairKind;
  readonly event: OrderEvent;
}

export interface RepairPlan {
  readonly repairs: readonly PlannedRepair[];
  /** The venue's view disagrees in a way no event can repair; logged for an operator. */
  readonly anomaly?: string;
}

/** A domain fill event for a venue fill. */
export function fillEvent(fill: VenueFill): OrderEvent {
  return OrderEvent.filled({
    clientOrderId: fill.clientOrderId,
    timestamp: fill.timestamp,
    tradeId: fill.tradeId,
    venueOrderId: fill.venueOrderId,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    liquidity: fill.liquidity,
  });
}

/**
 * Status events that bring `order` to the venue's `snapshot`, without fills: an acknowledgement
 * for a pending order, and the venue's terminal status once every fill is applied (a terminal
 * status applied before its fills would make the fills illegal and lose them). `needsFills` says
 * the venue has filled more than we know: fetch the fills first.
 */
export function statusEvents(
  order: Order,
  snapshot: VenueOrderSnapshot,
  filledKnown: Order['filledQuantity'],
  now: number,
  reason?: string,
): { readonly events: readonly OrderEvent[]; readonly needsFills: boolean } {
  const at = { clientOrderId: order.clientOrderId, timestamp: Math.max(now, 0) };
  if (isTerminalOrderStatus(order.status)) return { events: [], needsFills: false };
  if (snapshot.status === OrderStatus.REJECTED) {
    return {
      events: [OrderEvent.rejected({ ...at, reason: reason ?? 'rejected by the venue' })],
      needsFills: false,
    };
  }
  const events: OrderEvent[] = [];
  if (order.status === OrderStatus.PENDING_NEW) {
    events.push(
      OrderEvent.acknowledged({
        clientOrderId: at.clientOrderId,
        timestamp: at.timestamp,
        venueOrderId: snapshot.venueOrderId,
      }),
    );
  }
  const needsFills = snapshot.filledQuantity.gt(filledKnown);
  if (!needsFills) {
    if (snapshot.status === OrderStatus.CANCELLED) {
      events.push(OrderEvent.cancelled({ ...at, ...(reason === undefined ? {} : { reason }) }));
    } else if (snapshot.status === OrderStatus.EXPIRED) events.push(OrderEvent.expired(at));
  }
  return { events, needsFills };
}

/**
 * Repairs that make our record of one order match the venue's: missing fills first (oldest
 * first), then the status. An order the venue never received is rejected only while it is still
 * pending (sent, unanswered) — never guessed from silence about an order the venue had confirmed.
 * One exception: an order we asked the venue to cancel (PENDING_CANCEL) that the venue no longer
 * knows is cancelled. The venue cannot be working it, and it cannot report fills of an order it
 * has no record of, so waiting changes nothing (the order would stay PENDING_CANCEL for ever and
 * be reported on every pass); the fills we know stay applied. An acknowledged order the venue
 * does not know without a cancel request stays an anomaly for an operator.
 */
export function planOrderRepairs(order: Order, observation: OrderObservation, now: number): RepairPlan {
  const { snapshot } = observation;
  if (snapshot === undefined) {
    if (order.status === OrderStatus.PENDING_NEW) {
      const event = OrderEvent.rejected({
        clientOrderId: order.clientOrderId,
        timestamp: now,
        reason: NEVER_RECEIVED,
      });
      return { repairs: [{ kind: RepairKind.NEVER_RECEIVED, event }] };
    }
    if (isTerminalOrderStatus(order.status) || order.status === OrderStatus.NEW) return { repairs: [] };
    if (order.status === OrderStatus.PENDING_CANCEL) {
      const event = OrderEvent.cancelled({
        clientOrderId: order.clientOrderId,
        timestamp: now,
        reason: CANCEL_TARGET_GONE,
      });
      return { repairs: [{ kind: RepairKind.CANCEL_TARGET_GONE, event }] };
    }
    return {
      repairs: [],
      anomaly: `the venue has no record of ${order.status} order ${order.clientOrderId}`,
    };
  }
  const repairs: PlannedRepair[] = [];
  const known = new Set<string>(order.tradeIds);
  let filled = order.filledQuantity;
  const acknowledged = order.status === OrderStatus.PENDING_NEW && snapshot.status !== OrderStatus.REJECTED;
  if (acknowledged) {
    repairs.push({
      kind: RepairKind.ACKNOWLEDGED,
      event: OrderEvent.acknowledged({
        clientOrderId: order.clientOrderId,
        timestamp: now,
        venueOrderId: snapshot.venueOrderId,
      }),
    });
  }
  const missing = observation.fills
    .filter((f) => !known.has(f.tradeId))
    .sort((a, b) => a.timestamp - b.timestamp);
  for (const fill of missing) {
    repairs.push({ kind: RepairKind.MISSING_FILL, event: fillEvent(fill) });
    known.add(fill.tradeId);
    filled = filled.add(fill.quantity);
  }
  const pending = acknowledged ? { ...order, status: OrderStatus.ACKNOWLEDGED } : order;
  const status = statusEvents(pending, snapshot, filled, now);
  for (const event of status.events) repairs.push({ kind: RepairKind.STATUS, event });
  if (status.needsFills) {
    return {
      repairs,
      anomaly: `venue reports ${snapshot.filledQuantity.toString()} filled of ${order.clientOrderId} but lists fills for ${filled.toString()}`,
    };
  }
  return { repairs };
}
