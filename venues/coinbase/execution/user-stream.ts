import type { ClientOrderId } from '../../../domain/identifiers/index.ts';
import { UnavailableError } from '../../../domain/errors.ts';
import { isTerminalOrderStatus } from '../../../domain/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { FinishedWindow } from '../../common/finished-window.ts';
import type { Unsubscribe, VenueExecutionEvent, VenueFill } from '../../venue-connector.ts';
import type { CoinbaseConfig } from '../config.ts';
import type { CoinbaseCredentials } from '../common/credentials.ts';
import { Channel } from '../common/enums.ts';
import type { CoinbaseMessage } from '../common/market-data.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import type { UserOrder } from '../common/user-data.ts';
import { ChannelSocket } from '../websocket/channel-socket.ts';
import { userOrderSnapshot } from './order-mapping.ts';

export interface UserStreamOptions {
  readonly config: CoinbaseConfig;
  readonly credentials: CoinbaseCredentials;
  readonly logger: Logger;
  readonly metrics: CoinbaseMetrics;
  /** The fills of one order (REST), used when the user channel reports more filled size. */
  readonly fills: (productId: string, orderId: string, clientOrderId: ClientOrderId) => Promise<VenueFill[]>;
  readonly now: () => number;
}

interface Seen {
  filled: string;
  readonly tradeIds: Set<string>;
  /** The updates of this order still waiting for fills to be fetched, in order. */
  pending: Promise<void> | undefined;
}

/**
 * The user channel on its own endpoint as execution events. Its orders carry cumulative sizes, not
 * executions, so when an order's filled size grows the fills are fetched and the new ones (by trade
 * id) emitted, then the order update. A reconnect or a sequence gap emits `reconnected`: callers
 * reconcile by query.
 */
/** Finished orders whose seen fills the user stream keeps at most. */
export const FINISHED_ORDERS_SEEN = 10_000;
/**
 * How long the user stream keeps what it saw of a finished order. An update of a finished order
 * comes again only in the channel's snapshot after a resubscribe (seconds later); one that comes
 * later has its fills fetched again and emitted, and the order manager drops those it booked by
 * trade id. By age, not only by count: at a few orders a minute 10,000 would be kept for hours.
 */
export const FINISHED_ORDERS_SEEN_MS = 120_000;

export class UserStream {
  readonly #o: UserStreamOptions;
  readonly #socket: ChannelSocket;
  readonly #logger: Logger;
  readonly #listeners = new Set<(event: VenueExecutionEvent) => void>();
  readonly #seen = new Map<string, Seen>();
  /**
   * Finished orders keep what was seen of them for FINISHED_ORDERS_SEEN_MS, at most the newest
   * FINISHED_ORDERS_SEEN (a repeat after that re-fetches fills, deduped downstream by trade id).
   */
  readonly #finished: FinishedWindow;
  #ready: (() => void) | undefined;

  constructor(options: UserStreamOptions) {
    this.#o = options;
    this.#finished = new FinishedWindow(FINISHED_ORDERS_SEEN, (orderId) => this.#seen.delete(orderId), {
      maxAgeMs: FINISHED_ORDERS_SEEN_MS,
      now: options.now,
    });
    this.#logger = options.logger.child({ component: 'coinbase-user-stream' });
    this.#socket = new ChannelSocket({
      name: 'user',
      url: options.config.urls.wsUser,
      config: options.config,
      credentials: options.credentials,
      authenticated: true,
      logger: options.logger,
      metrics: options.metrics,
      onMessage: (message) => this.#onMessage(message),
      onSubscribed: (reconnect) => {
        this.#ready?.();
        if (reconnect) this.#emit({ kind: 'reconnected', at: options.now() });
      },
      onGap: () => this.#emit({ kind: 'reconnected', at: options.now() }),
    });
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Orders whose updates the stream remembers now: live ones and the window of finished ones. */
  get seenOrders(): number {
    return this.#seen.size;
  }

  /** Connects and subscribes the user channel; rejects if that takes longer than `timeoutMs`. */
  async start(timeoutMs: number): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      this.#ready = resolve;
    });
    this.#socket.subscribe(Channel.USER);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UnavailableError(`the user channel was not subscribed within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  onEvent(listener: (event: VenueExecutionEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  recycle(reason: string): void {
    this.#socket.recycle(reason);
  }

  async close(): Promise<void> {
    await this.#socket.close();
  }

  #emit(event: VenueExecutionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, kind: event.kind }, 'execution listener failed');
      }
    }
  }

  #onMessage(message: CoinbaseMessage): void {
    if (message.channel !== 'user') return;
    for (const event of message.events) {
      for (const order of event.orders) this.#onOrder(order);
    }
  }

  #onOrder(order: UserOrder): void {
    const snapshot = userOrderSnapshot(order, this.#o.now());
    const reason = order.rejectReason || order.cancelReason;
    const update: VenueExecutionEvent = {
      kind: 'order',
      order: snapshot,
      ...(reason.length > 0 ? { reason } : {}),
    };
    let seen = this.#seen.get(order.orderId);
    if (seen === undefined) {
      seen = { filled: '0', tradeIds: new Set(), pending: undefined };
      this.#seen.set(order.orderId, seen);
    }
    if (isTerminalOrderStatus(snapshot.status)) this.#finished.add(order.orderId);
    const filled = order.cumulativeQuantity.toString();
    const grew = order.cumulativeQuantity.isPositive() && filled !== seen.filled;
    if (grew) seen.filled = filled;
    if (!grew && seen.pending === undefined) {
      this.#emit(update);
      return;
    }
    // The new fills before the order state that counts them: an order manager seeing a filled size
    // beyond its fills would query the order and its fills itself. Later updates of the same order
    // wait for this one, so its events keep the venue's order.
    const s = seen;
    const step = async (): Promise<void> => {
      if (grew) await this.#emitNewFills(order, snapshot.clientOrderId, s);
      this.#emit(update);
    };
    const pending = (s.pending ?? Promise.resolve()).then(step).catch((error: unknown) => {
      this.#logger.error({ err: error, orderId: order.orderId }, 'could not relay an order update');
    });
    s.pending = pending;
    void pending.finally(() => {
      if (s.pending === pending) s.pending = undefined;
    });
  }

  /** Fetches the order's fills and emits those not seen yet (by trade id); a failure is logged. */
  async #emitNewFills(order: UserOrder, clientOrderId: ClientOrderId, seen: Seen): Promise<void> {
    let fills: VenueFill[];
    try {
      fills = await this.#o.fills(order.productId, order.orderId, clientOrderId);
    } catch (error) {
      // The fills stay retrievable: the next update of this order, or a reconcile, fetches them (the
      // order update still goes out, and its filled size tells the order manager to ask).
      seen.filled = '0';
      this.#logger.warn(
        { err: error, orderId: order.orderId },
        'could not fetch the fills of an order update',
      );
      return;
    }
    for (const fill of fills) {
      if (seen.tradeIds.has(fill.tradeId)) continue;
      seen.tradeIds.add(fill.tradeId);
      this.#emit({ kind: 'fill', fill });
    }
  }
}
