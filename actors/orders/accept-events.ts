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
      current = applyOrderEvent(current, event);
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
