import {
  DuplicateFillError,
  IllegalOrderTransitionError,
  OverfillError,
  VenueOrderIdMismatchError,
  applyOrderEvent,
} from '../../domain/index.ts';
import type { Order, OrderEvent } from '../../domain/index.ts';

/** Why an event from a venue was not applied. */
export type SkipReason = 'duplicate' | 'illegal' | 'overfill' | 'venue-order-id-mismatch';

export interface Skipped {
  readonly event: OrderEvent;
  readonly reason: SkipReason;
  readonly error: Error;
}

export interface Accepted {
  /** The events to journal, in order: each is legal after the ones before it. */
  readonly events: readonly OrderEvent[];
  readonly order: Order;
  readonly skipped: readonly Skipped[];
}

/** What each accepted event made of the order it was decided against (see `decidedOrder`). */
const decided = new WeakMap<OrderEvent, { readonly before: Order; readonly after: Order }>();

/**
 * The order `event` leaves `order` as, if `acceptEvents` already decided it against this very
 * order (the same object): applying an accepted event then costs a lookup, not a second run of the
 * state machine (each run is a frozen copy of the order). Undefined otherwise (recovery decodes
 * its events; another order state): apply it.
 */
export function decidedOrder(order: Order, event: OrderEvent): Order | undefined {
  const entry = decided.get(event);
  return entry !== undefined && entry.before === order ? entry.after : undefined;
}

/**
 * Runs candidate events through the domain state machine and keeps those that apply: duplicate
 * fills (redeliveries), overfills, illegal transitions and venue order id mismatches are set
 * aside with their reason, so only events that replay cleanly reach the journal.
 */
export function acceptEvents(order: Order, candidates: readonly OrderEvent[]): Accepted {
  const events: OrderEvent[] = [];
  const skipped: Skipped[] = [];
  let current = order;
  for (const event of candidates) {
    try {
      const after = applyOrderEvent(current, event);
      decided.set(event, { before: current, after });
      current = after;
      events.push(event);
    } catch (error) {
      if (error instanceof DuplicateFillError) skipped.push({ event, reason: 'duplicate', error });
      else if (error instanceof OverfillError) skipped.push({ event, reason: 'overfill', error });
      else if (error instanceof IllegalOrderTransitionError)
        skipped.push({ event, reason: 'illegal', error });
      else if (error instanceof VenueOrderIdMismatchError) {
        skipped.push({ event, reason: 'venue-order-id-mismatch', error });
      } else throw error;
    }
  }
  return { events, order: current, skipped };
}
