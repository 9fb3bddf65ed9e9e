// The public commands of `orders/<accountId>`: place, cancel, cancel-replace, cancel-all.
import {
  FailedPreconditionError,
  NotFoundError,
  OrderEvent,
  OrderStatus,
  Price,
  RiskRejectedError,
  checkNewOrder,
  isTerminalOrderStatus,
  parseClientOrderId,
  parseInstrumentId,
  valuationPrice,
} from '../../domain/index.ts';
import type { ClientOrderId, Order, ProposedOrder } from '../../domain/index.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type { Ctx, Effect, ManagerContext, Step } from './manager-context.ts';
import type { PlaceOrderRequest } from './order-manager-messages.ts';
import type { OrdersState, TrackedOrder } from './orders-state.ts';
import { checkPlaceRequest } from './place-request.ts';
import { sendCancel, sendPlacement } from './venue-calls.ts';

/** Answers with the order once the venue has answered its placement (at once if it already has). */
function replyWhenPlaced(state: OrdersState, ctx: Ctx, order: Order, replyTo: ReplyTo<Order>): void {
  if (order.status === OrderStatus.PENDING_NEW)
    state.runtime.wait(order.clientOrderId, (o) => ctx.reply(replyTo, o));
  else ctx.reply(replyTo, order);
}

/** Validation and pre-trade checks of a new order; throws InvalidArgumentError or RiskRejectedError. */
function admit(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  request: PlaceOrderRequest,
  replaces?: ClientOrderId,
): TrackedOrder {
  const accountId = m.accountId(ctx);
  const now = m.clock();
  const { order, instrument } = checkPlaceRequest(request, {
    accountId,
    venues: m.options.venues,
    orderId: m.newOrderId(),
    now,
  });
  const risk = m.options.risk;
  const mid = risk.mid(instrument.id);
  const proposed: ProposedOrder = {
    instrument,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    ...(order.price === undefined ? {} : { price: order.price }),
    ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice }),
  };
  const result = checkNewOrder(proposed, {
    limits: risk.limits(accountId),
    clusterKillSwitch: risk.clusterKillSwitch(),
    exposure: state.exposure,
    mid,
    balance: (venue, asset) => risk.balance(accountId, venue, asset),
    bucket: state.runtime.bucket,
    nowMs: now,
  });
  if (!result.decision.approved) {
    m.metrics.riskRejections.inc({ reason: result.decision.reason });
    ctx.logger.info(
      { clientOrderId: order.clientOrderId, reason: result.decision.reason, detail: result.decision.message },
      'order refused by a pre-trade check',
    );
    throw new RiskRejectedError(result.decision.reason, result.decision.message, {
      clientOrderId: order.clientOrderId,
    });
  }
  state.runtime.bucket = result.bucket;
  return {
    order,
    instrument,
    // A sell reserves base quantity, so its price is not used; a buy always has one (the balance rule needs it).
    reservePrice: valuationPrice(proposed, mid) ?? Price.zero(),
    ...(replaces === undefined ? {} : { replaces }),
  };
}

export function place(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  request: PlaceOrderRequest,
  replyTo: ReplyTo<Order>,
): Effect {
  const clientOrderId = parseClientOrderId(request.clientOrderId, 'clientOrderId');
  const existing = state.orders.get(clientOrderId);
  if (existing !== undefined) {
    m.metrics.command.inc('place', 'existing');
    replyWhenPlaced(state, ctx, existing.order, replyTo);
    return {};
  }
  const tracked = admit(m, state, ctx, request);
  const submitted = OrderEvent.submitted({ clientOrderId, timestamp: tracked.order.createdAt });
  m.metrics.command.inc('place', 'ok');
  // Reconciliation must not judge it before the venue could have heard of it.
  state.runtime.placing.add(clientOrderId);
  // Intent and SUBMITTED are journaled in one append before the venue hears of the order.
  return m.effect(
    ctx,
    [
      { type: 'track', tracked, adopted: false },
      { type: 'event', event: submitted },
    ],
    (next) => {
      const placed = next.orders.get(clientOrderId);
      if (placed !== undefined) replyWhenPlaced(next, ctx, placed.order, replyTo);
      sendPlacement(m, next, ctx, clientOrderId);
    },
  );
}

/** Steps that start cancelling `tracked` (empty when nothing is to be done now). */
function cancelSteps(
  m: ManagerContext,
  state: OrdersState,
  tracked: TrackedOrder,
): { steps: Step[]; send: boolean } {
  const { order } = tracked;
  const at = { clientOrderId: order.clientOrderId, timestamp: m.clock() };
  switch (order.status) {
    case OrderStatus.NEW:
      return {
        steps: [
          { type: 'event', event: OrderEvent.cancelled({ ...at, reason: 'withdrawn before it was sent' }) },
        ],
        send: false,
      };
    case OrderStatus.PENDING_NEW:
      // No cancel before the venue's answer: it is sent once the order is acknowledged.
      state.runtime.heldCancels.add(order.clientOrderId);
      return { steps: [], send: false };
    case OrderStatus.ACKNOWLEDGED:
    case OrderStatus.PARTIALLY_FILLED:
      return { steps: [{ type: 'event', event: OrderEvent.cancelRequested(at) }], send: true };
    default:
      return { steps: [], send: false };
  }
}

export function cancel(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderIdText: string,
  replyTo?: ReplyTo<Order>,
): Effect {
  const clientOrderId = parseClientOrderId(clientOrderIdText, 'clientOrderId');
  const tracked = state.orders.get(clientOrderId);
  if (tracked === undefined)
    throw new NotFoundError(`no order ${clientOrderId} on this account`, { details: { clientOrderId } });
  const { steps, send } = cancelSteps(m, state, tracked);
  // Reconciliation must not take the cancel for lost before it could have been sent.
  if (send) state.runtime.cancelling.add(clientOrderId);
  m.metrics.commands.inc({ command: 'cancel', outcome: 'ok' });
  return m.effect(ctx, steps, (next) => {
    if (send) sendCancel(m, next, ctx, clientOrderId);
    const current = next.orders.get(clientOrderId);
    if (replyTo !== undefined && current !== undefined) ctx.reply(replyTo, current.order);
  });
}

export function cancelReplace(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  clientOrderIdText: string,
  replacement: PlaceOrderRequest,
  replyTo: ReplyTo<Order>,
): Effect {
  const oldId = parseClientOrderId(clientOrderIdText, 'clientOrderId');
  const newId = parseClientOrderId(replacement.clientOrderId, 'replacement.clientOrderId');
  const existing = state.orders.get(newId);
  if (existing !== undefined) {
    ctx.reply(replyTo, existing.order);
    return {};
  }
  const old = state.orders.get(oldId);
  if (old === undefined)
    throw new NotFoundError(`no order ${oldId} on this account`, { details: { clientOrderId: oldId } });
  if (isTerminalOrderStatus(old.order.status)) {
    throw new FailedPreconditionError(`order ${oldId} is ${old.order.status}; there is nothing to replace`, {
      details: { clientOrderId: oldId, status: old.order.status },
    });
  }
  const tracked = admit(m, state, ctx, replacement, oldId);
  const { steps, send } = cancelSteps(m, state, old);
  if (send) state.runtime.cancelling.add(oldId);
  m.metrics.commands.inc({ command: 'cancel-replace', outcome: 'ok' });
  // The replacement waits in NEW until the old order is cancelled, so both are never working at once.
  return m.effect(ctx, [{ type: 'track', tracked, adopted: false }, ...steps], (next) => {
    if (send) sendCancel(m, next, ctx, oldId);
    const placed = next.orders.get(newId);
    if (placed !== undefined) ctx.reply(replyTo, placed.order);
    m.tell(ctx, { type: 'release-replacements' });
  });
}

export function cancelAll(
  m: ManagerContext,
  state: OrdersState,
  ctx: Ctx,
  instrumentIdText: string | undefined,
  replyTo: ReplyTo<number>,
): Effect {
  const instrumentId =
    instrumentIdText === undefined ? undefined : parseInstrumentId(instrumentIdText, 'instrumentId');
  let count = 0;
  for (const cid of state.open) {
    const tracked = state.orders.get(cid);
    if (tracked === undefined) continue;
    if (instrumentId !== undefined && tracked.order.instrumentId !== instrumentId) continue;
    m.tell(ctx, { type: 'cancel', clientOrderId: tracked.order.clientOrderId });
    count += 1;
  }
  m.metrics.commands.inc({ command: 'cancel-all', outcome: 'ok' });
  ctx.reply(replyTo, count);
  return {};
}

/** Sends replacements whose old order is cancelled; withdraws those whose old order filled instead. */
export function releaseReplacements(m: ManagerContext, state: OrdersState, ctx: Ctx): Effect {
  const steps: Step[] = [];
  const toSend: ClientOrderId[] = [];
  for (const cid of state.waitingReplacements) {
    const tracked = state.orders.get(cid);
    if (tracked?.replaces === undefined || tracked.order.status !== OrderStatus.NEW) continue;
    const old = state.orders.get(tracked.replaces);
    if (old !== undefined && !isTerminalOrderStatus(old.order.status)) continue;
    const at = { clientOrderId: tracked.order.clientOrderId, timestamp: m.clock() };
    const oldStatus = old?.order.status;
    if (oldStatus === OrderStatus.CANCELLED || oldStatus === OrderStatus.EXPIRED) {
      steps.push({ type: 'event', event: OrderEvent.submitted(at) });
      toSend.push(at.clientOrderId);
      state.runtime.placing.add(at.clientOrderId);
    } else {
      const reason = `replaced order ${tracked.replaces} ended ${oldStatus ?? 'unknown'} before its cancel`;
      steps.push({ type: 'event', event: OrderEvent.cancelled({ ...at, reason }) });
    }
  }
  return m.effect(ctx, steps, (next) => {
    for (const clientOrderId of toSend) sendPlacement(m, next, ctx, clientOrderId);
  });
}
