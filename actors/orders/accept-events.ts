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

/** An accepted event, the order it was decided against, and what it made of that order. */
export interface Decided {
  readonly event: OrderEvent;
  readonly before: Order;
  readonly after: Order;
}

export interface Accepted {
  /** The events to journal, in order: each is legal after the ones before it. */
  readonly events: readonly OrderEvent[];
  /**
   * The same events with the orders each was decided against and made: applying one to that very
   * order (the same object) then costs a comparison, not a second run of the state machine (each
   * run is a frozen copy of the order). Carried with the event itself (orders-state.ts), not in a
   * WeakMap keyed by it: a WeakMap entry per event is an ephemeron that every full GC must trace
   * in its pause, and its table grows and is copied with the events.
   */
  readonly decided: readonly Decided[];
  readonly order: Order;
  readonly skipped: readonly Skipped[];
}

/**
 * Runs candidate events through the domain state machine and keeps those that apply: duplicate
 * fills (redeliveries), overfills, illegal transitions and venue order id mismatches are set
 * aside with their reason, so only events that replay cleanly reach the journal.
 */
export function acceptEvents(order: Order, candidates: readonly OrderEvent[]): Accepted {
  const events: OrderEvent[] = [];
  const decided: Decided[] = [];
  const skipped: Skipped[] = [];
  let current = order;
  for (const event of candidates) {
    try {
      const after = applyOrderEvent(current, event);
      decided.push({ event, before: current, after });
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
  return { events, decided, order: current, skipped };
}
