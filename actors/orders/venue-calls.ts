// The order manager's calls to venues. Each runs outside the actor's turn and reports back as a
// message to the actor, so the actor's state only ever changes inside its own turn.
import { OrderStatus } from '../../domain/index.ts';
import type { ClientOrderId, VenueId } from '../../domain/index.ts';
import type { VenueFill, VenueOrderRef, VenueOrderSnapshot } from '../../venues/venue-connector.ts';
import type { Ctx, ManagerContext } from './manager-context.ts';
import type { ReconcileReport, ReconcileTrigger, VenueObservation } from './order-manager-messages.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type { OrdersState, TrackedOrder } from './orders-state.ts';
import type { OrderObservation } from './reconciliation.ts';
import type { VenueEndpoint } from './venue-access.ts';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function refOf(tracked: TrackedOrder): VenueOrderRef {
  const { order } = tracked;
  return {
    instrumentId: order.instrumentId,
    clientOrderId: order.clientOrderId,
    ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
  };
}

/** Asks the actor to look into the order if the venue has not answered it within the ack timeout. */
export function armAckTimer(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
): void {
  state.runtime.armAckTimer(clientOrderId, m.ackTimeoutMs, () =>
    m.tell(ctx, { type: 'ack-timeout', clientOrderId }),
  );
}

/** Sends a journaled order to its venue; the answer comes back as `placed` or `place-failed`. */
export function sendPlacement(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
): void {
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined) return;
  const endpoint = m.endpoint(tracked);
  armAckTimer(m, state, ctx, clientOrderId);
  if (endpoint === undefined) {
    state.runtime.placing.delete(clientOrderId);
    ctx.logger.error(
      { clientOrderId, venue: tracked.instrument.venue },
      'venue unavailable: order left pending',
    );
    return;
  }
  state.runtime.placing.add(clientOrderId);
  endpoint.placeOrder(m.venueRequest(tracked.order), { correlationId: ctx.correlationId }).then(
    (result) => {
      state.runtime.placing.delete(clientOrderId);
      m.tell(ctx, { type: 'placed', clientOrderId, result });
    },
    (error: unknown) => {
      state.runtime.placing.delete(clientOrderId);
      m.metrics.venueCallFailures.inc({ call: 'placeOrder' });
      ctx.logger.warn({ err: error, clientOrderId }, 'placement outcome unknown; the venue will be queried');
      m.tell(ctx, { type: 'place-failed', clientOrderId, error: message(error) });
    },
  );
}

/** Asks the venue to cancel; the answer comes back as `cancel-answered`. */
export function sendCancel(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
): void {
  const tracked = state.orders.get(clientOrderId);
  const endpoint = tracked === undefined ? undefined : m.endpoint(tracked);
  if (tracked === undefined || endpoint === undefined) {
    state.runtime.cancelling.delete(clientOrderId);
    return;
  }
  state.runtime.cancelling.add(clientOrderId);
  endpoint.cancelOrder(refOf(tracked), { correlationId: ctx.correlationId }).then(
    (snapshot) => {
      state.runtime.cancelling.delete(clientOrderId);
      m.tell(ctx, { type: 'cancel-answered', clientOrderId, snapshot });
    },
    (error: unknown) => {
      state.runtime.cancelling.delete(clientOrderId);
      m.metrics.venueCallFailures.inc({ call: 'cancelOrder' });
      ctx.logger.warn({ err: error, clientOrderId }, 'cancel failed; the venue will be queried');
      m.tell(ctx, { type: 'cancel-answered', clientOrderId, error: message(error) });
    },
  );
}

async function observe(
  endpoint: VenueEndpoint,
  ref: VenueOrderRef,
  correlationId: string,
): Promise<OrderObservation> {
  const snapshot = await endpoint.getOrder(ref, { correlationId });
  return {
    clientOrderId: ref.clientOrderId,
    snapshot,
    fills: await fillsOf(endpoint, ref, snapshot, correlationId),
  };
}

/** The venue's fills of an order it reports filled at all (none read for an unfilled one). */
async function fillsOf(
  endpoint: VenueEndpoint,
  ref: VenueOrderRef,
  snapshot: VenueOrderSnapshot | undefined,
  correlationId: string,
): Promise<readonly VenueFill[]> {
  return snapshot === undefined || snapshot.filledQuantity.isZero()
    ? []
    : await endpoint.orderFills({ ...ref, venueOrderId: snapshot.venueOrderId }, { correlationId });
}

/** Queries one order at its venue; the answer comes back as `observed`. */
export function observeOrder(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
): void {
  const tracked = state.orders.get(clientOrderId);
  const endpoint = tracked === undefined ? undefined : m.endpoint(tracked);
  if (tracked === undefined || endpoint === undefined || state.runtime.observing.has(clientOrderId)) return;
  state.runtime.observing.add(clientOrderId);
  observe(endpoint, refOf(tracked), ctx.correlationId).then(
    (observation) => {
      state.runtime.observing.delete(clientOrderId);
      m.tell(ctx, { type: 'observed', observation });
    },
    (error: unknown) => {
      state.runtime.observing.delete(clientOrderId);
      m.metrics.venueCallFailures.inc({ call: 'getOrder' });
      ctx.logger.warn({ err: error, clientOrderId }, 'order query failed; will ask again');
      if (tracked.order.status === OrderStatus.PENDING_NEW) armAckTimer(m, state, ctx, clientOrderId);
    },
  );
}

async function observeVenue(
  endpoint: VenueEndpoint,
  venue: VenueId,
  ours: readonly TrackedOrder[],
  known: ReadonlySet<string>,
  correlationId: string,
): Promise<VenueObservation> {
  const open: readonly VenueOrderSnapshot[] = await endpoint.openOrders(undefined, { correlationId });
  const listed = new Map<string, VenueOrderSnapshot>();
  for (const snapshot of open) listed.set(snapshot.clientOrderId, snapshot);
  const orders: OrderObservation[] = [];
  for (const tracked of ours) {
    // An order the open list shows is observed from it: its own query (and, while its filled
    // quantity is the one we know, its fills) would say the same and cost the venue's request
    // budget once per open order per pass (Binance.US: 2 + 10 of 1,200 a minute).
    const snapshot = listed.get(tracked.order.clientOrderId);
    const ref = refOf(tracked);
    if (snapshot === undefined) orders.push(await observe(endpoint, ref, correlationId));
    else {
      const fills = snapshot.filledQuantity.eq(tracked.order.filledQuantity)
        ? []
        : await fillsOf(endpoint, ref, snapshot, correlationId);
      orders.push({ clientOrderId: ref.clientOrderId, snapshot, fills });
    }
  }
  const unknown: OrderObservation[] = [];
  for (const snapshot of open) {
    if (known.has(snapshot.clientOrderId)) continue;
    const fills = snapshot.filledQuantity.isZero()
      ? []
      : await endpoint.orderFills(
          {
            instrumentId: snapshot.instrumentId,
            clientOrderId: snapshot.clientOrderId,
            venueOrderId: snapshot.venueOrderId,
          },
          { correlationId },
        );
    unknown.push({ clientOrderId: snapshot.clientOrderId, snapshot, fills });
  }
  return { venue, orders, unknown };
}

/**
 * One reconciliation pass's reads: every venue's open orders, and the venue's view and fills of
 * each of our orders that is not finished (and not being placed right now). The answer comes back
 * as `reconcile-observed`, applied against the state of that moment.
 */
export function gatherReconciliation(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  trigger: ReconcileTrigger,
  replyTo: ReplyTo<ReconcileReport> | undefined,
): void {
  state.runtime.reconciling = true;
  const known = new Set<string>(state.orders.keys());
  const open: TrackedOrder[] = [];
  for (const cid of state.open) {
    const t = state.orders.get(cid);
    if (t !== undefined && t.order.status !== OrderStatus.NEW && !state.runtime.placing.has(cid))
      open.push(t);
  }
  const venues = m.options.venues.venues();
  const failures: string[] = [];
  const work = venues.map(async (venue) => {
    const endpoint = m.venue(m.accountId(ctx), venue);
    if (endpoint === undefined) return undefined;
    try {
      return await observeVenue(
        endpoint,
        venue,
        open.filter((t) => t.instrument.venue === venue),
        known,
        ctx.correlationId,
      );
    } catch (error) {
      m.metrics.venueCallFailures.inc({ call: 'reconcile' });
      ctx.logger.warn(
        { err: error, venue, trigger },
        'reconciliation could not read the venue; retried next pass',
      );
      failures.push(`${venue}: ${message(error)}`);
      return undefined;
    }
  });
  void Promise.all(work).then((results) => {
    const observations = results.filter((r): r is VenueObservation => r !== undefined);
    m.tell(ctx, {
      type: 'reconcile-observed',
      trigger,
      observations,
      failures,
      ...(replyTo === undefined ? {} : { replyTo }),
    });
  });
}

/** The most recently changed orders with fills whose fills are re-published on activation (from the venue). */
const REPLAY_ORDERS = 100;
/** The newest journaled fills re-published on activation (from the journal). */
const REPLAY_FILLS = 1_000;

/**
 * Re-publishes recently journaled fills: a crash between journaling a fill and its publication would
 * otherwise leave the portfolio without it (the portfolio books each trade once, so repeats change
 * nothing). With `recentFills` they are read from the journal (the newest 1,000 of the last 10,000
 * events); without it, the fills of the 100 most recently changed orders with fills are read back
 * from the venue, one request each (a venue that no longer knows an order answers nothing for it).
 */
export function replayRecentFills(m: ManagerContext, state: OrdersState, ctx: Ctx): void {
  if (m.options.onFill === undefined) return;
  const journal = m.options.recentFills;
  if (journal !== undefined) {
    journal(ctx.identity, REPLAY_FILLS).then(
      (fills) => {
        // Oldest first, as they were first published; a fill of an order no longer in memory (evicted
        // to the order history) was published long before the last activation ended.
        for (const fill of fills.reverse()) {
          const tracked = state.orders.get(fill.clientOrderId);
          if (tracked === undefined) continue;
          m.publishFill(ctx, tracked, fill);
          m.metrics.fillReplays.inc({ source: 'journal', outcome: 'published' });
        }
      },
      (error: unknown) => {
        m.metrics.fillReplays.inc({ source: 'journal', outcome: 'failed' });
        ctx.logger.warn(
          { err: error },
          'journaled fills not re-published after recovery; the next activation tries again',
        );
      },
    );
    return;
  }
  const recent = [...state.orders.values()]
    .filter((t) => t.order.tradeIds.length > 0)
    .sort((a, b) => b.order.updatedAt - a.order.updatedAt)
    .slice(0, REPLAY_ORDERS);
  for (const tracked of recent) {
    const endpoint = m.endpoint(tracked);
    if (endpoint === undefined) continue;
    const journaled = new Set<string>(tracked.order.tradeIds);
    endpoint.orderFills(refOf(tracked), { correlationId: ctx.correlationId }).then(
      (fills) => {
        for (const fill of fills) {
          if (!journaled.has(fill.tradeId)) continue;
          m.publishFill(ctx, tracked, fill);
          m.metrics.fillReplays.inc({ source: 'venue', outcome: 'published' });
        }
      },
      (error: unknown) => {
        m.metrics.venueCallFailures.inc({ call: 'orderFills' });
        m.metrics.fillReplays.inc({ source: 'venue', outcome: 'failed' });
        ctx.logger.warn(
          { err: error, clientOrderId: tracked.order.clientOrderId },
          'fills not re-published after recovery; the next activation tries again',
        );
      },
    );
  }
}
