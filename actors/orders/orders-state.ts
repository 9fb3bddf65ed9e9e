import {
  AccountExposure,
  DataLossError,
  Price,
  applyOrderEvent,
  isTerminalOrderStatus,
  parseClientOrderId,
  parseInstrumentIdParts,
} from '../../domain/index.ts';
import type { ClientOrderId, ExposureInstrument, Order, OrderEvent } from '../../domain/index.ts';
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
 * What the journal of `orders/<accountId>` holds. `intent`: a new order, written before anything
 * is sent; `event`: one step of an order's life through the domain state machine; `adopted`: an
 * order found at the venue that we had no record of, taken over by reconciliation.
 */
export type OrdersEvent =
  | { readonly type: 'intent'; readonly tracked: TrackedJson }
  | { readonly type: 'adopted'; readonly tracked: TrackedJson }
  | { readonly type: 'event'; readonly event: OrderEventJson };

/** The manager's state: orders by client order id, the exposure derived from them, and per-activation runtime. */
export interface OrdersState {
  readonly orders: Map<ClientOrderId, TrackedOrder>;
  readonly exposure: AccountExposure;
  /** Not journaled: timers, waiting callers, calls in flight. A new activation starts a fresh one. */
  readonly runtime: OrderRuntime;
}

export function emptyOrdersState(): OrdersState {
  return { orders: new Map(), exposure: new AccountExposure(), runtime: new OrderRuntime() };
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
});
export const adoptedEvent = (tracked: TrackedOrder): OrdersEvent => ({
  type: 'adopted',
  tracked: encodeTracked(tracked),
});
export const orderEvent = (event: OrderEvent): OrdersEvent => ({
  type: 'event',
  event: encodeOrderEvent(event),
});

function track(state: OrdersState, tracked: TrackedOrder): void {
  const { order } = tracked;
  state.orders.set(order.clientOrderId, tracked);
  if (!order.filledQuantity.isZero()) {
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
  if (event.type !== 'event') {
    track(state, decodeTracked(event.tracked));
    return state;
  }
  const domainEvent = decodeOrderEvent(event.event);
  const tracked = state.orders.get(domainEvent.clientOrderId);
  if (tracked === undefined) {
    throw new DataLossError(`journal names order ${domainEvent.clientOrderId}, which it never created`);
  }
  const order = applyOrderEvent(tracked.order, domainEvent);
  state.orders.set(order.clientOrderId, { ...tracked, order });
  if (domainEvent.kind === 'FILLED') {
    state.exposure.applyFill(order.clientOrderId, tracked.instrument, order.side, domainEvent.quantity);
  }
  if (isTerminalOrderStatus(order.status) && state.exposure.hasOrder(order.clientOrderId)) {
    state.exposure.removeOrder(order.clientOrderId);
  }
  return state;
}

/** Snapshot: the tracked orders; exposure is rebuilt from them. */
export interface OrdersSnapshot {
  readonly orders: readonly TrackedJson[];
}

export function encodeOrdersSnapshot(state: OrdersState): OrdersSnapshot {
  return { orders: [...state.orders.values()].map(encodeTracked) };
}

export function decodeOrdersSnapshot(snapshot: OrdersSnapshot): OrdersState {
  const state = emptyOrdersState();
  for (const json of snapshot.orders) track(state, decodeTracked(json));
  return state;
}
