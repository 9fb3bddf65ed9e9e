import { OrderStatus, isTerminalOrderStatus, newOrderId, parseAccountId } from '../../domain/index.ts';
import type {
  AccountId,
  ClientOrderId,
  Order,
  OrderEvent,
  OrderFilled,
  OrderId,
  OrderRequest,
  VenueId,
} from '../../domain/index.ts';
import type { ActorContext, PersistentEffect } from '../kernel/index.ts';
import { acceptEvents } from './accept-events.ts';
import type { Decided } from './accept-events.ts';
import type { OrderManagerMetrics } from './order-manager-metrics.ts';
import type { OrdersCommand } from './order-manager-messages.ts';
import type { OrderManagerOptions, UnknownOrderPolicy } from './order-manager-options.ts';
import { adoptedEvent, intentEvent, orderEvent } from './orders-state.ts';
import type { OrdersEvent, OrdersState, TrackedOrder } from './orders-state.ts';
import type { VenueEndpoint } from './venue-access.ts';
import { AccountVenueIds, accountEndpoint } from './venue-client-ids.ts';

export type Effect = PersistentEffect<OrdersState, OrdersEvent>;
export type Ctx = ActorContext<OrdersCommand>;

/** One change to journal: a new or adopted order, or an event of an order we track. */
export type Step =
  | { readonly type: 'track'; readonly tracked: TrackedOrder; readonly adopted: boolean }
  | { readonly type: 'event'; readonly event: OrderEvent; readonly decided?: Decided };

/** Settings and helpers shared by the order manager's handlers (one per kind, all accounts). */
export class ManagerContext {
  readonly clock: () => number;
  readonly newOrderId: () => OrderId;
  readonly ackTimeoutMs: number;
  readonly reconcileEveryMs: number;
  readonly unknownOrders: UnknownOrderPolicy;
  private readonly venueIds = new Map<AccountId, AccountVenueIds>();
  private readonly accountViews = new WeakMap<VenueEndpoint, Map<AccountId, VenueEndpoint>>();

  constructor(
    readonly options: OrderManagerOptions,
    readonly metrics: OrderManagerMetrics,
  ) {
    this.clock = options.clock ?? Date.now;
    this.newOrderId = options.newOrderId ?? newOrderId;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.reconcileEveryMs = options.reconcileEveryMs ?? 30_000;
    this.unknownOrders = options.unknownOrders ?? 'adopt';
  }

  accountId(ctx: Ctx): AccountId {
    return parseAccountId(ctx.key, 'accountId');
  }

  /** The account's client order id scheme at the venues (docs/trading.md). */
  ids(accountId: AccountId): AccountVenueIds {
    let ids = this.venueIds.get(accountId);
    if (ids === undefined) {
      ids = new AccountVenueIds(accountId);
      this.venueIds.set(accountId, ids);
    }
    return ids;
  }

  /** `venue` as `accountId` sees it: its own orders and executions only, in its own client order ids. */
  venue(accountId: AccountId, venue: VenueId): VenueEndpoint | undefined {
    const endpoint = this.options.venues.venue(venue);
    if (endpoint === undefined) return undefined;
    // One account view per endpoint object (a venue access may hand out a new one after a reload).
    let views = this.accountViews.get(endpoint);
    if (views === undefined) {
      views = new Map();
      this.accountViews.set(endpoint, views);
    }
    let view = views.get(accountId);
    if (view === undefined) {
      view = accountEndpoint(endpoint, this.ids(accountId), (what) =>
        this.metrics.venueEvent.inc(what, 'other-account'),
      );
      views.set(accountId, view);
    }
    return view;
  }

  endpoint(tracked: TrackedOrder): VenueEndpoint | undefined {
    return this.venue(tracked.order.accountId, tracked.instrument.venue);
  }

  /** Sends to this actor from a callback; a stopped actor's message becomes a dead letter, logged. */
  tell(ctx: Ctx, message: OrdersCommand): void {
    try {
      ctx.send(ctx.self, message);
    } catch (error) {
      ctx.logger.warn({ err: error, message: message.type }, 'order manager could not message itself');
    }
  }

  /**
   * Runs candidate events for one order through the state machine and returns those that apply:
   * repeats, overfills and illegal transitions are counted and logged, never journaled.
   */
  accept(
    state: OrdersState,
    tracked: TrackedOrder,
    events: readonly OrderEvent[],
    source: string,
    ctx: Ctx,
  ): readonly Step[] {
    return this.acceptOrder(state, tracked, events, source, ctx).steps;
  }

  /**
   * As `accept`, with the order as it is once those steps apply. A caller of `place` waiting for
   * the venue's answer is answered here, with the order as these events leave it, without waiting
   * for them to be durable: its intent is, and a crash before they are is repaired by
   * reconciliation from the venue's truth (docs/persistence.md).
   */
  acceptOrder(
    state: OrdersState,
    tracked: TrackedOrder,
    events: readonly OrderEvent[],
    source: string,
    ctx: Ctx,
  ): { readonly steps: readonly Step[]; readonly order: Order } {
    const result = acceptEvents(tracked.order, events);
    for (const skip of result.skipped) {
      this.metrics.venueEvent.incPrefixed(source, skip.event.kind, skip.reason);
      const detail = {
        clientOrderId: tracked.order.clientOrderId,
        event: skip.event.kind,
        reason: skip.reason,
        source,
      };
      if (skip.reason === 'duplicate') ctx.logger.debug(detail, 'repeated venue event ignored');
      else ctx.logger.warn({ ...detail, err: skip.error }, 'venue event not applied');
    }
    for (const event of result.events) {
      this.metrics.venueEvent.incPrefixed(source, event.kind, 'applied');
    }
    const { order } = result;
    if (
      result.events.length > 0 &&
      order.status !== OrderStatus.PENDING_NEW &&
      order.status !== OrderStatus.NEW
    )
      state.runtime.resolve(order);
    return {
      steps: result.decided.map((decided) => ({ type: 'event', event: decided.event, decided })),
      order,
    };
  }

  /** Journals `steps`, then runs the follow-ups and `after` with the new state. */
  effect(ctx: Ctx, steps: readonly Step[], after?: (state: OrdersState) => void): Effect {
    return {
      events: steps.map((step) =>
        step.type === 'event'
          ? orderEvent(step.decided ?? step.event)
          : step.adopted
            ? adoptedEvent(step.tracked)
            : intentEvent(step.tracked),
      ),
      reply: (state) => {
        this.afterApplied(state, ctx, steps);
        after?.(state);
      },
    };
  }

  /** Follow-ups once events are durable: answer waiters, send held cancels, release replacements, publish fills. */
  private afterApplied(state: OrdersState, ctx: Ctx, steps: readonly Step[]): void {
    // The orders the steps touched, each once, in order: the first alone, the others (rare: an
    // effect is mostly one order's events) in an array made only then. A Set per effect cost about
    // 260 bytes, an array 150, and every order has three or more effects.
    let first: ClientOrderId | undefined;
    let others: ClientOrderId[] | undefined;
    for (const step of steps) {
      const cid = step.type === 'event' ? step.event.clientOrderId : step.tracked.order.clientOrderId;
      if (first === undefined) first = cid;
      else if (cid !== first && others?.includes(cid) !== true) (others ??= []).push(cid);
      const tracked = state.orders.get(cid);
      if (tracked !== undefined && step.type === 'event' && step.event.kind === 'FILLED') {
        this.publishFill(ctx, tracked, step.event);
      }
    }
    let ended = first !== undefined && this.settled(state, ctx, first);
    if (others !== undefined) for (const cid of others) ended = this.settled(state, ctx, cid) || ended;
    if (ended && state.waitingReplacements.size > 0) this.tell(ctx, { type: 'release-replacements' });
  }

  /** Sends or drops the order's held cancel as its status allows; true when the order has ended. */
  private settled(state: OrdersState, ctx: Ctx, cid: ClientOrderId): boolean {
    const tracked = state.orders.get(cid);
    if (tracked === undefined) return false;
    const { order } = tracked;
    if (state.runtime.heldCancels.has(cid)) {
      if (isTerminalOrderStatus(order.status)) state.runtime.heldCancels.delete(cid);
      else if (order.status === OrderStatus.ACKNOWLEDGED || order.status === OrderStatus.PARTIALLY_FILLED) {
        state.runtime.heldCancels.delete(cid);
        this.tell(ctx, { type: 'cancel', clientOrderId: cid });
      }
    }
    return isTerminalOrderStatus(order.status);
  }

  /** Sends one journaled fill to `onFill` (again after a recovery: the portfolio dedupes by trade id). */
  publishFill(
    ctx: Ctx,
    tracked: TrackedOrder,
    fill: Pick<OrderFilled, 'tradeId' | 'quantity' | 'price' | 'fee' | 'timestamp' | 'liquidity'>,
  ): void {
    const onFill = this.options.onFill;
    if (onFill === undefined) return;
    try {
      onFill(this.accountId(ctx), {
        instrument: tracked.instrument,
        tradeId: fill.tradeId,
        side: tracked.order.side,
        quantity: fill.quantity,
        price: fill.price,
        fee: fill.fee,
        timestamp: fill.timestamp,
        liquidity: fill.liquidity,
      });
    } catch (error) {
      ctx.logger.error(
        { err: error, clientOrderId: tracked.order.clientOrderId, tradeId: fill.tradeId },
        'fill listener failed; the portfolio must be resynchronised from the journal',
      );
    }
  }

  /** The venue request for an order we track. */
  venueRequest(order: Order): OrderRequest {
    // Optional fields set, not spread in from a temporary object each (once per order placed).
    const request: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } = {
      id: order.id,
      clientOrderId: order.clientOrderId,
      accountId: order.accountId,
      instrumentId: order.instrumentId,
      side: order.side,
      type: order.type,
      timeInForce: order.timeInForce,
      quantity: order.quantity,
      postOnly: order.postOnly,
      reduceOnly: order.reduceOnly,
      createdAt: order.createdAt,
    };
    if (order.price !== undefined) request.price = order.price;
    if (order.stopPrice !== undefined) request.stopPrice = order.stopPrice;
    if (order.expireAt !== undefined) request.expireAt = order.expireAt;
    return request;
  }
}
