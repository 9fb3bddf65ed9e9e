// What the order manager does with venue answers, stream events and reconciliation reads.
import {
  OrderEvent,
  OrderStatus,
  createOrder,
  defaultTimeInForce,
  isTerminalOrderStatus,
  parseInstrumentIdParts,
} from '../../domain/index.ts';
import type { ClientOrderId, Order } from '../../domain/index.ts';
import type {
  PlacementResult,
  VenueExecutionEvent,
  VenueOrderSnapshot,
} from '../../venues/venue-connector.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type { Ctx, Effect, ManagerContext, Step } from './manager-context.ts';
import type { ReconcileReport, ReconcileTrigger, VenueObservation } from './order-manager-messages.ts';
import type { OrdersState, TrackedOrder } from './orders-state.ts';
import { RepairKind, fillEvent, planOrderRepairs, statusEvents } from './reconciliation.ts';
import type { OrderObservation } from './reconciliation.ts';
import { armAckTimer, observeOrder } from './venue-calls.ts';

const OPEN_AT_VENUE: ReadonlySet<string> = new Set([OrderStatus.ACKNOWLEDGED, OrderStatus.PARTIALLY_FILLED]);

export function placed(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
  result: PlacementResult,
): Effect {
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined) return {};
  if (result.kind === 'rejected') {
    const event = OrderEvent.rejected({ clientOrderId, timestamp: m.clock(), reason: result.reason });
    return m.effect(ctx, m.accept(state, tracked, [event], 'placement', ctx));
  }
  if (isTerminalOrderStatus(tracked.order.status) && tracked.order.venueOrderId === undefined) {
    // We had resolved it as never received, and the venue took it after all: do not trade blind.
    m.metrics.venueEvents.inc({ kind: 'placement', outcome: 'late-accept' });
    ctx.logger.error(
      { clientOrderId, status: tracked.order.status },
      'venue accepted an order already resolved; cancelling it there',
    );
    const endpoint = m.endpoint(tracked);
    endpoint
      ?.cancelOrder({
        instrumentId: tracked.order.instrumentId,
        clientOrderId,
        venueOrderId: result.order.venueOrderId,
      })
      .catch((error: unknown) => {
        m.metrics.venueCallFailures.inc({ call: 'cancelOrder' });
        ctx.logger.error(
          { err: error, clientOrderId },
          'cancel of a late-accepted order failed; reconciliation will adopt it',
        );
      });
    return {};
  }
  const plan = planOrderRepairs(
    tracked.order,
    { clientOrderId, snapshot: result.order, fills: result.fills },
    m.clock(),
  );
  // The caller waiting for this answer is answered by `accept`, before these events are durable.
  const steps = m.accept(
    state,
    tracked,
    plan.repairs.map((r) => r.event),
    'placement',
    ctx,
  );
  return m.effect(ctx, steps, (next) => {
    if (plan.anomaly !== undefined) observeOrder(m, next, ctx, clientOrderId);
  });
}

/** A venue's view of an order (stream event or cancel answer) applied as status events. */
function snapshotUpdate(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  tracked: TrackedOrder,
  snapshot: VenueOrderSnapshot,
  source: string,
  reason?: string,
): Effect {
  const { events, needsFills } = statusEvents(
    tracked.order,
    snapshot,
    tracked.order.filledQuantity,
    m.clock(),
    reason,
  );
  const steps = m.accept(state, tracked, events, source, ctx);
  return m.effect(ctx, steps, (next) => {
    if (needsFills) observeOrder(m, next, ctx, tracked.order.clientOrderId);
  });
}

export function venueEvent(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  event: VenueExecutionEvent,
): Effect {
  if (event.kind === 'reconnected') {
    m.tell(ctx, { type: 'reconcile', trigger: 'reconnected' });
    return {};
  }
  const clientOrderId = event.kind === 'fill' ? event.fill.clientOrderId : event.order.clientOrderId;
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined) {
    m.metrics.venueEvents.inc({ kind: `stream:${event.kind}`, outcome: 'unknown-order' });
    ctx.logger.warn(
      { clientOrderId, kind: event.kind },
      'venue event for an order this account does not know; reconciliation decides',
    );
    return {};
  }
  if (event.kind === 'fill')
    return m.effect(ctx, m.accept(state, tracked, [fillEvent(event.fill)], 'stream', ctx));
  return snapshotUpdate(m, state, ctx, tracked, event.order, 'stream', event.reason);
}

export function cancelAnswered(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
  snapshot: VenueOrderSnapshot | undefined,
): Effect {
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined) return {};
  if (snapshot === undefined) {
    // The cancel's outcome is unknown (or the venue refused it): ask the venue rather than guess.
    observeOrder(m, state, ctx, clientOrderId);
    return {};
  }
  return snapshotUpdate(m, state, ctx, tracked, snapshot, 'cancel');
}

export function ackTimeout(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderId: ClientOrderId,
): Effect {
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined || tracked.order.status !== OrderStatus.PENDING_NEW) return {};
  m.metrics.ackTimeouts.inc();
  if (state.runtime.placing.has(clientOrderId)) {
    ctx.logger.info({ clientOrderId }, 'placement still unanswered; waiting for the connector to resolve it');
    armAckTimer(m, state, ctx, clientOrderId);
    return {};
  }
  observeOrder(m, state, ctx, clientOrderId);
  return {};
}

interface RepairLog {
  readonly clientOrderId: ClientOrderId;
  readonly repair: RepairKind;
  readonly detail?: string;
}

/** Repairs of one of our orders from the venue's view; empty while a placement or cancel is in flight. */
function orderRepairs(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  observation: OrderObservation,
  log: RepairLog[],
  anomalies: string[],
): readonly Step[] {
  const tracked = state.orders.get(observation.clientOrderId);
  if (tracked === undefined || state.runtime.placing.has(observation.clientOrderId)) return [];
  const plan = planOrderRepairs(tracked.order, observation, m.clock());
  if (plan.anomaly !== undefined) anomalies.push(plan.anomaly);
  const events = plan.repairs.map((r) => r.event);
  const snapshot = observation.snapshot;
  const cancelLost =
    tracked.order.status === OrderStatus.PENDING_CANCEL &&
    snapshot !== undefined &&
    OPEN_AT_VENUE.has(snapshot.status) &&
    !state.runtime.cancelling.has(tracked.order.clientOrderId);
  if (cancelLost) {
    events.push(
      OrderEvent.cancelRejected({
        clientOrderId: tracked.order.clientOrderId,
        timestamp: m.clock(),
        reason: 'the venue still has the order working',
      }),
    );
  }
  const steps = m.accept(state, tracked, events, 'reconcile', ctx);
  for (const step of steps) {
    if (step.type !== 'event') continue;
    const planned = plan.repairs.find((r) => r.event === step.event);
    log.push({
      clientOrderId: tracked.order.clientOrderId,
      repair: planned?.kind ?? RepairKind.STATUS,
      detail: step.event.kind,
    });
  }
  return steps;
}

/** A venue order we had no record of, taken over as ACKNOWLEDGED with its fills. */
function adopt(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  observation: OrderObservation,
  anomalies: string[],
): Step[] {
  const snapshot = observation.snapshot;
  if (snapshot === undefined) return [];
  const endpoint = m.options.venues.venue(parseInstrumentIdParts(snapshot.instrumentId).venue);
  const instrument = endpoint?.instruments().find((i) => i.id === snapshot.instrumentId);
  if (instrument === undefined) {
    anomalies.push(
      `unknown venue order ${snapshot.clientOrderId} is on an unknown instrument ${snapshot.instrumentId}`,
    );
    return [];
  }
  let order: Order;
  try {
    order = createOrder({
      id: m.newOrderId(),
      clientOrderId: snapshot.clientOrderId,
      accountId: m.accountId(ctx),
      instrumentId: snapshot.instrumentId,
      side: snapshot.side,
      type: snapshot.type,
      timeInForce: defaultTimeInForce(snapshot.type),
      quantity: snapshot.quantity,
      ...(snapshot.price === undefined ? {} : { price: snapshot.price }),
      ...(snapshot.stopPrice === undefined ? {} : { stopPrice: snapshot.stopPrice }),
      createdAt: snapshot.updatedAt,
    });
  } catch (error) {
    anomalies.push(
      `unknown venue order ${snapshot.clientOrderId} cannot be adopted: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
  const adopted: TrackedOrder = {
    order: Object.freeze({ ...order, status: OrderStatus.ACKNOWLEDGED, venueOrderId: snapshot.venueOrderId }),
    instrument,
    reservePrice: snapshot.price ?? snapshot.stopPrice ?? instrument.tickSize,
  };
  return [
    { type: 'track', tracked: adopted, adopted: true },
    ...m.accept(state, adopted, observation.fills.map(fillEvent), 'reconcile', ctx),
  ];
}

export function reconcileObserved(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  trigger: ReconcileTrigger,
  observations: readonly VenueObservation[],
  failures: readonly string[],
  replyTo: ReplyTo<ReconcileReport> | undefined,
  pass = true,
): Effect {
  if (pass) state.runtime.reconciling = false;
  const log: RepairLog[] = [];
  const anomalies: string[] = [...failures];
  const steps: Step[] = [];
  const toCancel: OrderObservation[] = [];
  let checked = 0;
  for (const venue of observations) {
    for (const observation of venue.orders) {
      checked += 1;
      steps.push(...orderRepairs(m, state, ctx, observation, log, anomalies));
    }
    for (const observation of venue.unknown) {
      // Our own intent is journaled before sending, so an order we placed is known by now.
      if (state.orders.has(observation.clientOrderId)) continue;
      if (m.unknownOrders === 'cancel') {
        toCancel.push(observation);
        continue;
      }
      const adopted = adopt(m, state, ctx, observation, anomalies);
      if (adopted.length > 0)
        log.push({ clientOrderId: observation.clientOrderId, repair: RepairKind.ADOPTED });
      steps.push(...adopted);
    }
  }
  for (const anomaly of anomalies)
    ctx.logger.warn({ trigger, anomaly }, 'reconciliation found a difference it cannot repair');
  return m.effect(ctx, steps, () => {
    for (const observation of toCancel) cancelUnknown(m, ctx, observation, log);
    const repairs: Partial<Record<RepairKind, number>> = {};
    for (const entry of log) {
      m.metrics.repairs.inc({ repair: entry.repair });
      repairs[entry.repair] = (repairs[entry.repair] ?? 0) + 1;
      ctx.logger.info({ trigger, ...entry }, 'reconciliation repair');
    }
    m.metrics.reconciliations.inc({ trigger, outcome: failures.length === 0 ? 'ok' : 'partial' });
    // A pass that found nothing to repair is routine (every order query and period runs one).
    const quiet = log.length === 0 && anomalies.length === 0 && failures.length === 0;
    ctx.logger[quiet ? 'debug' : 'info'](
      { trigger, checked, repairs: log.length, anomalies: anomalies.length },
      'reconciliation pass done',
    );
    m.tell(ctx, { type: 'release-replacements' });
    if (replyTo !== undefined) ctx.reply(replyTo, { trigger, ordersChecked: checked, repairs, anomalies });
  });
}

function cancelUnknown(m: ManagerContext, ctx: Ctx, observation: OrderObservation, log: RepairLog[]): void {
  const snapshot = observation.snapshot;
  if (snapshot === undefined) return;
  const endpoint = m.venue(m.accountId(ctx), parseInstrumentIdParts(snapshot.instrumentId).venue);
  log.push({ clientOrderId: snapshot.clientOrderId, repair: RepairKind.UNKNOWN_CANCELLED });
  endpoint
    ?.cancelOrder({
      instrumentId: snapshot.instrumentId,
      clientOrderId: snapshot.clientOrderId,
      venueOrderId: snapshot.venueOrderId,
    })
    .catch((error: unknown) => {
      m.metrics.venueCallFailures.inc({ call: 'cancelOrder' });
      ctx.logger.error(
        { err: error, clientOrderId: snapshot.clientOrderId },
        'cancel of an unknown venue order failed',
      );
    });
}

/** The venue's answer to a query of one order (ack timeout, missing fills, unknown cancel outcome). */
export function observed(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  observation: OrderObservation,
): Effect {
  const tracked = state.orders.get(observation.clientOrderId);
  if (tracked === undefined) return {};
  const venue: VenueObservation = { venue: tracked.instrument.venue, orders: [observation], unknown: [] };
  return reconcileObserved(m, state, ctx, 'order-query', [venue], [], undefined, false);
}
