import type { ClusterNode } from '../../cluster/index.ts';
import { ResourceExhaustedError } from '../../domain/errors.ts';
import type { Order, PortfolioFill } from '../../domain/index.ts';
import type { Logger } from '../../observability/index.ts';
import { Liquidity, orderSideFromJSON } from '../../proto/gen/ninja/v1/order.ts';
import type { Fill } from '../../proto/gen/ninja/v1/order.ts';
import type { StreamOrderUpdatesResponse } from '../../proto/gen/ninja/v1/trading.ts';
import type { StreamSink } from '../api/method-definition.ts';
import { instrumentMessage, orderMessage, timestampOf } from '../services/proto-mapping.ts';

/** How often a stream looks for changed orders (status changes, cancels, expiries). */
export const ORDER_POLL_MS = 250;
/** A client that has not taken an update for this long is too slow: its stream ends. */
export const ORDER_STREAM_STALL_MS = 10_000;
/** Fills waiting for a slow client; one more ends its stream RESOURCE_EXHAUSTED. */
export const MAX_PENDING_FILLS = 10_000;
/** Passes a fill may wait for its order to show it before it is dropped (logged). */
const FILL_MATCH_PASSES = 8;
/** Passes an order with new trades waits for their fills before it is sent without them. */
const FILL_HOLD_PASSES = 2;

type FillListener = (fill: PortfolioFill) => void;

/**
 * The fills of the order managers this node hosts, as each is journaled: nodes/trading.ts
 * publishes them (beside sending them to `portfolio/<accountId>`); StreamOrderUpdates on this
 * node listens per account. Fills of an order manager hosted by another member are not seen
 * here (its stream still gets the order updates, from polling).
 */
export class OrderFills {
  private readonly listeners = new Map<string, Set<FillListener>>();

  publish(accountId: string, fill: PortfolioFill): void {
    const listeners = this.listeners.get(accountId);
    if (listeners === undefined) return;
    for (const listener of listeners) listener(fill);
  }

  /** Calls `listener` with each fill of `accountId` from now on; returns the unsubscribe. */
  subscribe(accountId: string, listener: FillListener): () => void {
    let listeners = this.listeners.get(accountId);
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners.set(accountId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.listeners.delete(accountId);
    };
  }
}

const fillsByNode = new WeakMap<ClusterNode, OrderFills>();

/** The fill bus of one node (one per cluster member in the process). */
export function orderFillsOf(cluster: ClusterNode): OrderFills {
  let fills = fillsByNode.get(cluster);
  if (fills === undefined) {
    fills = new OrderFills();
    fillsByNode.set(cluster, fills);
  }
  return fills;
}

/** The API form of a fill of `order`. */
export function fillMessage(order: Order, fill: PortfolioFill): Fill {
  return {
    orderId: order.id,
    clientOrderId: order.clientOrderId,
    tradeId: fill.tradeId,
    instrumentId: instrumentMessage(fill.instrument.id),
    side: orderSideFromJSON(`ORDER_SIDE_${fill.side}`),
    quantity: { value: fill.quantity.toString() },
    price: { value: fill.price.toString() },
    fee: { amount: { value: fill.fee.toString() }, currency: fill.fee.currency },
    // The order manager's fill does not say whether it made or took liquidity.
    liquidity: Liquidity.LIQUIDITY_UNSPECIFIED,
    fillTime: timestampOf(fill.timestamp),
  };
}

export interface OrderUpdatesCall {
  readonly accountId: string;
  readonly sink: StreamSink<StreamOrderUpdatesResponse>;
  readonly signal: AbortSignal;
  /** The account's orders as its order manager has them now. */
  list(): Promise<readonly Order[]>;
  readonly fills: OrderFills;
  readonly logger: Logger;
}

interface PendingFill {
  readonly fill: PortfolioFill;
  passes: number;
}

/**
 * StreamOrderUpdates: every fill of the account (pushed by its order manager on this node) with
 * the order as it stands after it, and every other change of its orders (found by listing them
 * every ORDER_POLL_MS, or at once when a fill arrives). An order changed by a fill is sent once,
 * with the fill. Only the last version of each order is kept between passes, never a queue of
 * versions; fills wait in a bounded queue. A client that takes nothing for ORDER_STREAM_STALL_MS,
 * or lets MAX_PENDING_FILLS fills pile up, is ended with RESOURCE_EXHAUSTED.
 */
export async function streamOrderUpdates(call: OrderUpdatesCall): Promise<void> {
  const pending: PendingFill[] = [];
  let overflow = false;
  let wake: (() => void) | undefined;
  const unsubscribe = call.fills.subscribe(call.accountId, (fill) => {
    if (pending.length >= MAX_PENDING_FILLS) overflow = true;
    else pending.push({ fill, passes: 0 });
    wake?.();
  });
  const onAbort = () => wake?.();
  call.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const sent = sentOf(await call.list());
    while (!call.signal.aborted) {
      if (pending.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ORDER_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      if (call.signal.aborted) return;
      if (overflow) {
        throw new ResourceExhaustedError(
          `more than ${MAX_PENDING_FILLS} fills waited for the client; the stream is ended (reconnect and use ListOrders to catch up)`,
        );
      }
      await pass(call, sent, pending);
    }
  } finally {
    unsubscribe();
    call.signal.removeEventListener('abort', onAbort);
  }
}

/** What a stream has sent of the account's orders. */
interface Sent {
  /** The last version (updatedAt) sent of each order. */
  readonly versions: Map<string, number>;
  /** The trades of each order the stream covered: streamed as fills, or done before it opened. */
  readonly trades: Map<string, Set<string>>;
  /** Passes each order with trades not yet covered has waited for their fills. */
  readonly holds: Map<string, number>;
}

function sentOf(orders: readonly Order[]): Sent {
  const sent: Sent = { versions: new Map(), trades: new Map(), holds: new Map() };
  for (const order of orders) {
    sent.versions.set(order.id, order.updatedAt);
    sent.trades.set(order.id, new Set(order.tradeIds));
  }
  return sent;
}

/**
 * One look at the account's orders: the waiting fills with their orders, then the other changes.
 * A fill is streamed once: the order manager may publish a fill again (after a recovery, or when a
 * venue query repeats it; the portfolio dedupes by trade id), so a fill whose trade the stream
 * already covered is dropped.
 */
async function pass(call: OrderUpdatesCall, sent: Sent, pending: PendingFill[]): Promise<void> {
  const orders = await call.list();
  const byTrade = new Map<string, Order>();
  for (const order of orders)
    for (const tradeId of order.tradeIds) byTrade.set(`${order.instrumentId}|${tradeId}`, order);
  for (const waiting of pending.splice(0)) {
    const order = byTrade.get(`${waiting.fill.instrument.id}|${waiting.fill.tradeId}`);
    if (order === undefined) {
      // Published after it was journaled, so the order shows it unless it left the manager's list.
      waiting.passes += 1;
      if (waiting.passes < FILL_MATCH_PASSES) pending.push(waiting);
      else
        call.logger.warn(
          { accountId: call.accountId, tradeId: waiting.fill.tradeId },
          'a fill whose order is not listed was not streamed',
        );
      continue;
    }
    let covered = sent.trades.get(order.id);
    if (covered === undefined) {
      covered = new Set();
      sent.trades.set(order.id, covered);
    }
    if (covered.has(waiting.fill.tradeId)) continue;
    covered.add(waiting.fill.tradeId);
    sent.holds.delete(order.id);
    await writeOrEnd(call.sink, { order: orderMessage(order), fill: fillMessage(order, waiting.fill) });
    sent.versions.set(order.id, order.updatedAt);
  }
  const changed = orders
    .filter((o) => sent.versions.get(o.id) !== o.updatedAt)
    .sort((a, b) => a.updatedAt - b.updatedAt);
  for (const order of changed) {
    const covered = sent.trades.get(order.id);
    const uncovered = order.tradeIds.some((t) => covered === undefined || !covered.has(t));
    const held = sent.holds.get(order.id) ?? 0;
    if (uncovered && held < FILL_HOLD_PASSES) {
      // New trades whose fills have not arrived yet (they are published just after the order
      // changes): wait a pass or two, so the fills carry the change. An order manager on another
      // member publishes none here; its orders go out without fills after the wait.
      sent.holds.set(order.id, held + 1);
      continue;
    }
    await writeOrEnd(call.sink, { order: orderMessage(order), fill: undefined });
    sent.versions.set(order.id, order.updatedAt);
  }
  // Orders the manager no longer lists (it keeps the most recent finished ones) are forgotten.
  if (sent.versions.size > orders.length) {
    const listed = new Set<string>(orders.map((o) => o.id));
    for (const id of sent.versions.keys()) {
      if (listed.has(id)) continue;
      sent.versions.delete(id);
      sent.trades.delete(id);
      sent.holds.delete(id);
    }
  }
}

/** Writes `message`, or ends the stream RESOURCE_EXHAUSTED when the client does not take it in time. */
async function writeOrEnd<T>(sink: StreamSink<T>, message: T): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ResourceExhaustedError(
            `the client did not read order updates for ${ORDER_STREAM_STALL_MS / 1000} s; the stream is ended (reconnect and use ListOrders to catch up)`,
          ),
        ),
      ORDER_STREAM_STALL_MS,
    );
  });
  try {
    await Promise.race([sink.write(message), slow]);
  } finally {
    clearTimeout(timer);
  }
}
