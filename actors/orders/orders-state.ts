import {
  AccountExposure,
  DataLossError,
  OrderStatus,
  Price,
  applyOrderEvent,
  isTerminalOrderStatus,
  parseClientOrderId,
  parseInstrumentIdParts,
} from '../../domain/index.ts';
import type { ClientOrderId, ExposureInstrument, Order, OrderEvent } from '../../domain/index.ts';
// The snapshot's positions type (not re-exported by the domain's index).
import type { ExposurePositions } from '../../domain/risk/index.ts';
import type { Decided } from './accept-events.ts';
import { decodeOrder, decodeOrderEvent, encodeOrder, encodeOrderEvent } from './order-codec.ts';
import type { OrderEventJson, OrderJson } from './order-codec.ts';
import { OrderRuntime } from './order-runtime.ts';

/** One order the manager tracks, with what exposure needs to count it. */
export interface TrackedOrder {
  readonly order: Order;
  readonly instrument: ExposureInstrument;
  /** The price its reservation is counted at (limit, else stop, else the mid when placed). */
  readonly reservePrice: Price;
  /** For a cancel-replace: the order this one replaces, sent only once that one is cancelled. */
  readonly replaces?: ClientOrderId;
}

interface InstrumentJson {
  readonly id: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
}

interface TrackedJson {
  readonly order: OrderJson;
  readonly instrument: InstrumentJson;
  readonly reservePrice: string;
  readonly replaces?: string;
}

/**
 * The domain values a live event was made from, so applying it neither decodes its journal form
 * again nor, for an event already checked against its order, runs the state machine a second time.
 * A symbol key: JSON leaves it out of the journal (recovery, which has only the journal form,
 * decodes: the same values). Kept on the event rather than in a WeakMap keyed by it, whose entries
 * are ephemerons that every full GC must trace in its pause.
 */
const LIVE = Symbol('live');

/**
 * What the journal of `orders/<accountId>` holds. `intent`: a new order, written before anything
 * is sent; `event`: one step of an order's life through the domain state machine; `adopted`: an
 * order found at the venue that we had no record of, taken over by reconciliation; `evicted`:
 * finished orders leaving memory, journaled only once the order history holds them (order-history.ts).
 */
export type OrdersEvent =
  | { readonly type: 'intent'; readonly tracked: TrackedJson; readonly [LIVE]?: TrackedOrder }
  | { readonly type: 'adopted'; readonly tracked: TrackedJson; readonly [LIVE]?: TrackedOrder }
  | { readonly type: 'event'; readonly event: OrderEventJson; readonly [LIVE]?: OrderEvent | Decided }
  | { readonly type: 'evicted'; readonly clientOrderIds: readonly string[] };

/** Finished orders kept per account by default (see OrdersState.finished). */
export const DEFAULT_RETAIN_FINISHED_ORDERS = 100;

/**
 * The manager's state: orders by client order id (every open one, and the most recently finished
 * ones), the exposure derived from them, and per-activation runtime. Hot paths never scan all
 * orders: `open` and `waitingReplacements` index what they look for.
 */
export interface OrdersState {
  readonly orders: Map<ClientOrderId, TrackedOrder>;
  /** Orders not in a terminal status. */
  readonly open: Set<ClientOrderId>;
  /** Replacements held in NEW until the order they replace is finished. */
  readonly waitingReplacements: Set<ClientOrderId>;
  /**
   * Finished orders, oldest first. Beyond `retainFinished` the oldest leave the state (and the
   * snapshot): they stay in the journal, but GetOrder, ListOrders and the idempotency of a
   * repeated client order id cover open orders and the retained finished ones only.
   */
  readonly finished: Set<ClientOrderId>;
  readonly retainFinished: number;
  /**
   * True with an order history: finished orders leave only through `evicted` events, journaled once
   * they are archived (so beyond the window until then); false: the oldest leave at once.
   */
  readonly keepUntilArchived: boolean;
  readonly exposure: AccountExposure;
  /** Not journaled: timers, waiting callers, calls in flight. A new activation starts a fresh one. */
  readonly runtime: OrderRuntime;
}

export function emptyOrdersState(
  retainFinished: number = DEFAULT_RETAIN_FINISHED_ORDERS,
  keepUntilArchived = false,
): OrdersState {
  return {
    orders: new Map(),
    open: new Set(),
    waitingReplacements: new Set(),
    finished: new Set(),
    retainFinished,
    keepUntilArchived,
    exposure: new AccountExposure(),
    runtime: new OrderRuntime(),
  };
}

export function encodeTracked(tracked: TrackedOrder): TrackedJson {
  return {
    order: encodeOrder(tracked.order),
    instrument: {
      id: tracked.instrument.id,
      baseAsset: tracked.instrument.baseAsset,
      quoteAsset: tracked.instrument.quoteAsset,
    },
    reservePrice: tracked.reservePrice.toString(),
    ...(tracked.replaces === undefined ? {} : { replaces: tracked.replaces }),
  };
}

function decodeTracked(json: TrackedJson): TrackedOrder {
  const parts = parseInstrumentIdParts(json.instrument.id);
  return {
    order: decodeOrder(json.order),
    instrument: {
      id: parts.id,
      venue: parts.venue,
      baseAsset: json.instrument.baseAsset,
      quoteAsset: json.instrument.quoteAsset,
    },
    reservePrice: Price.parse(json.reservePrice, 'reservePrice'),
    ...(json.replaces === undefined ? {} : { replaces: parseClientOrderId(json.replaces, 'replaces') }),
  };
}

export const intentEvent = (tracked: TrackedOrder): OrdersEvent => ({
  type: 'intent',
  tracked: encodeTracked(tracked),
  [LIVE]: tracked,
});
export const adoptedEvent = (tracked: TrackedOrder): OrdersEvent => ({
  type: 'adopted',
  tracked: encodeTracked(tracked),
  [LIVE]: tracked,
});
/** An order's event; `decided` also when it was checked against the order (acceptEvents). */
export const orderEvent = (event: OrderEvent | Decided): OrdersEvent => ({
  type: 'event',
  event: encodeOrderEvent('before' in event ? event.event : event),
  [LIVE]: event,
});
export const evictedEvent = (clientOrderIds: readonly ClientOrderId[]): OrdersEvent => ({
  type: 'evicted',
  clientOrderIds,
});

/** Finished orders the history holds leave the state (an id not finished here is left alone). */
function evict(state: OrdersState, clientOrderIds: readonly string[]): void {
  for (const text of clientOrderIds) {
    // Journaled from validated ids; an id this state does not hold finds nothing.
    const cid = text as ClientOrderId;
    if (!state.finished.has(cid)) continue;
    state.finished.delete(cid);
    state.orders.delete(cid);
    state.runtime.evicted(cid);
  }
}

/** Keeps the indexes right for an order's new status; a finished one may push out the oldest. */
function indexStatus(state: OrdersState, tracked: TrackedOrder): void {
  const { order } = tracked;
  const cid = order.clientOrderId;
  if (tracked.replaces !== undefined && order.status === OrderStatus.NEW) state.waitingReplacements.add(cid);
  else state.waitingReplacements.delete(cid);
  if (!isTerminalOrderStatus(order.status)) {
    state.open.add(cid);
    return;
  }
  state.open.delete(cid);
  if (state.finished.has(cid)) return;
  state.finished.add(cid);
  if (state.keepUntilArchived) return;
  while (state.finished.size > state.retainFinished) {
    const oldest = state.finished.values().next();
    if (oldest.done === true) break;
    state.finished.delete(oldest.value);
    state.orders.delete(oldest.value);
    state.runtime.evicted(oldest.value);
  }
}

/** Adds an order; its fills move the positions unless they are restored from a snapshot. */
function track(state: OrdersState, tracked: TrackedOrder, countFills = true): void {
  const { order } = tracked;
  state.orders.set(order.clientOrderId, tracked);
  indexStatus(state, tracked);
  if (countFills && !order.filledQuantity.isZero()) {
    state.exposure.applyFill(order.clientOrderId, tracked.instrument, order.side, order.filledQuantity);
  }
  if (!isTerminalOrderStatus(order.status)) {
    state.exposure.addOrder({
      clientOrderId: order.clientOrderId,
      instrument: tracked.instrument,
      side: order.side,
      remaining: order.quantity.sub(order.filledQuantity),
      reservePrice: tracked.reservePrice,
    });
  }
}

/**
 * Applies one journaled event. Deterministic, so recovery rebuilds the same state; the state's maps
 * are owned by this one actor and updated in place. Only events already checked against the
 * state machine are journaled, so an event that fails here is a corrupt journal and throws.
 */
export function applyOrdersEvent(state: OrdersState, event: OrdersEvent): OrdersState {
  if (event.type === 'evicted') {
    evict(state, event.clientOrderIds);
    return state;
  }
  if (event.type !== 'event') {
    track(state, event[LIVE] ?? decodeTracked(event.tracked));
    return state;
  }
  const live = event[LIVE];
  let decided: Decided | undefined;
  let domainEvent: OrderEvent;
  if (live === undefined) domainEvent = decodeOrderEvent(event.event);
  else if ('before' in live) {
    decided = live;
    domainEvent = live.event;
  } else domainEvent = live;
  const tracked = state.orders.get(domainEvent.clientOrderId);
  if (tracked === undefined) {
    throw new DataLossError(`journal names order ${domainEvent.clientOrderId}, which it never created`);
  }
  // Decided against this very order (the same object): what the state machine made of it then.
  const order =
    decided !== undefined && decided.before === tracked.order
      ? decided.after
      : applyOrderEvent(tracked.order, domainEvent);
  const next: TrackedOrder = { ...tracked, order };
  state.orders.set(order.clientOrderId, next);
  if (domainEvent.kind === 'FILLED') {
    state.exposure.applyFill(order.clientOrderId, tracked.instrument, order.side, domainEvent.quantity);
  }
  if (isTerminalOrderStatus(order.status) && state.exposure.hasOrder(order.clientOrderId)) {
    state.exposure.removeOrder(order.clientOrderId);
  }
  indexStatus(state, next);
  return state;
}

/**
 * Snapshot: the retained orders, finished ones first in the order they finished, then the open
 * ones (so decoding rebuilds the same eviction order); exposure is rebuilt from them.
 */
export interface OrdersSnapshot {
  readonly orders: readonly TrackedJson[];
  /** The net positions, which count the fills of orders no longer retained. Absent in older snapshots. */
  readonly positions?: ExposurePositions;
}

export function encodeOrdersSnapshot(state: OrdersState): OrdersSnapshot {
  const orders: TrackedJson[] = [];
  for (const cid of state.finished) {
    const tracked = state.orders.get(cid);
    if (tracked !== undefined) orders.push(encodeTracked(tracked));
  }
  for (const cid of state.open) {
    const tracked = state.orders.get(cid);
    if (tracked !== undefined) orders.push(encodeTracked(tracked));
  }
  return { orders, positions: state.exposure.positionsSnapshot() };
}

export function decodeOrdersSnapshot(
  snapshot: OrdersSnapshot,
  retainFinished?: number,
  keepUntilArchived = false,
): OrdersState {
  const state = emptyOrdersState(retainFinished, keepUntilArchived);
  const decoded = snapshot.orders.map(decodeTracked);
  // Snapshots written before the finished orders were ordered: oldest change first.
  const finished = decoded
    .filter((t) => isTerminalOrderStatus(t.order.status))
    .sort((a, b) => a.order.updatedAt - b.order.updatedAt);
  // Older snapshots held every order, so their fills are the positions.
  const countFills = snapshot.positions === undefined;
  if (snapshot.positions !== undefined) state.exposure.restorePositions(snapshot.positions);
  for (const tracked of finished) track(state, tracked, countFills);
  for (const tracked of decoded) {
    if (!isTerminalOrderStatus(tracked.order.status)) track(state, tracked, countFills);
  }
  return state;
}
