import type { ClusterNode } from '../../cluster/index.ts';
import { ResourceExhaustedError } from '../../domain/errors.ts';
import { fillKey } from '../../domain/index.ts';
import type { Order, PortfolioFill } from '../../domain/index.ts';
import type { Logger } from '../../observability/index.ts';
import { Liquidity, orderSideFromJSON } from '../../proto/gen/ninja/v1/order.ts';
import type { Fill } from '../../proto/gen/ninja/v1/order.ts';
import type { StreamOrderUpdatesResponse } from '../../proto/gen/ninja/v1/trading.ts';
import type { StreamSink } from '../api/method-definition.ts';
import { instrumentMessage, orderMessage, timestampOf } from '../services/proto-mapping.ts';
import type { FeedFollowing, FollowFeed } from './order-feed-follower.ts';

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

/** Fills remembered per followed account to drop one that arrives twice (fast path and feed, re-publication). */
const RECENT_FILLS_PER_ACCOUNT = 4_096;
/** Longest a new stream waits for its account's feed to be followed before it lists the orders. */
const FEED_READY_MS = 3_000;

interface AccountFills {
  readonly listeners: Set<FillListener>;
  /** Keys (instrument and trade id) of the fills handed to the listeners, oldest first. */
  readonly recent: Set<string>;
  following: FeedFollowing | undefined;
}

/**
 * The fills of an account, for the StreamOrderUpdates calls of this node, from two sources: the
 * order managers this node hosts (nodes/trading.ts publishes each fill as it is journaled: the
 * fast path) and, on a clustered node, the account's `order-feed/<accountId>` on whichever member
 * holds it (`follow`, started with the first stream of the account and stopped with the last). A
 * fill that comes twice (both sources, or published again after a recovery) is handed on once.
 */
export class OrderFills {
  private readonly accounts = new Map<string, AccountFills>();
  private follow: FollowFeed | undefined;

  constructor(follow?: FollowFeed) {
    this.follow = follow;
  }

  /** Follows the feeds of accounts subscribed from now on with `follow` (undefined: none). */
  followWith(follow: FollowFeed | undefined): void {
    this.follow = follow;
  }

  publish(accountId: string, fill: PortfolioFill): void {
    const account = this.accounts.get(accountId);
    if (account === undefined) return;
    const key = fillKey(fill);
    if (account.recent.has(key)) return;
    account.recent.add(key);
    if (account.recent.size > RECENT_FILLS_PER_ACCOUNT) {
      const oldest = account.recent.values().next();
      if (oldest.done !== true) account.recent.delete(oldest.value);
    }
    for (const listener of account.listeners) listener(fill);
  }

  /** Calls `listener` with each fill of `accountId` from now on; returns the unsubscribe. */
  subscribe(accountId: string, listener: FillListener): () => void {
    let account = this.accounts.get(accountId);
    if (account === undefined) {
      account = {
        listeners: new Set(),
        recent: new Set(),
        following: this.follow?.(accountId, (fill) => this.publish(accountId, fill)),
      };
      this.accounts.set(accountId, account);
    }
    const subscribed = account;
    subscribed.listeners.add(listener);
    return () => {
      subscribed.listeners.delete(listener);
      if (subscribed.listeners.size > 0 || this.accounts.get(accountId) !== subscribed) return;
      this.accounts.delete(accountId);
      subscribed.following?.stop();
    };
  }

  /**
   * Resolves once fills of `accountId` from other members are followed (at once without a feed),
   * or after FEED_READY_MS or an abort: a stream lists its orders after this, so that a fill
   * journaled after the listing cannot fall before the cursor.
   */
  async ready(accountId: string, signal: AbortSignal): Promise<void> {
    const following = this.accounts.get(accountId)?.following;
    if (following === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        following.ready,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, FEED_READY_MS);
          onAbort = resolve;
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops following every feed (the node is stopping); streams still get the fast path's fills. */
  stopFollowing(): void {
    this.follow = undefined;
    for (const account of this.accounts.values()) {
      account.following?.stop();
      account.following = undefined;
    }
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
    liquidity:
      fill.liquidity === 'MAKER'
        ? Liquidity.LIQUIDITY_MAKER
        : fill.liquidity === 'TAKER'
          ? Liquidity.LIQUIDITY_TAKER
          : Liquidity.LIQUIDITY_UNSPECIFIED,
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
 * StreamOrderUpdates: every fill of the account (pushed by its order manager, on this node or
 * through the account's order feed from another member) with the order as it stands after it, and every other change of its orders (found by listing them
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
    await call.fills.ready(call.accountId, call.signal);
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
      // changes, and come through the order feed from another member): wait a pass or two, so the
      // fills carry the change. Should none come (the feed unreachable), the order goes out alone.
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
