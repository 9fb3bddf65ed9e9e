import type { WebSocket } from 'ws';
import type { Logger } from '../../../../observability/index.ts';
import type { EngineEvent } from '../../../paper/index.ts';
import type { SimServer } from '../../sim-server.ts';
import { verifyJwt } from '../common/auth.ts';
import { CoinbaseSimError } from '../common/errors.ts';
import { iso, statusOf, userOrderJson } from '../common/format.ts';
import { sweepExpired } from '../common/order-records.ts';
import { clientKey } from '../common/sim-state.ts';
import type { CoinbaseSimState } from '../common/sim-state.ts';
import { heartbeatJson, l2Snapshot, l2Update, tickerJson, tradeJson } from './frames.ts';

export const MARKET_PATH = '/ws';
export const USER_PATH = '/ws/user';

const MARKET_CHANNELS = ['level2', 'market_trades', 'ticker', 'heartbeats'];
const USER_CHANNELS = ['user', 'heartbeats'];
const PRODUCT_CHANNELS = ['level2', 'market_trades', 'ticker'];
/** How many sequence numbers one injected gap skips. */
const GAP_SIZE = 3;

export interface StreamHubOptions {
  /** A connection that has not subscribed within this time is closed (the venue's 5 s). */
  readonly subscribeDeadlineMs: number;
  readonly heartbeatIntervalMs: number;
}

interface Connection {
  readonly socket: WebSocket;
  readonly endpoint: 'market' | 'user';
  /** Next `sequence_num`: connection-wide, across channels. */
  sequence: number;
  heartbeats: number;
  readonly subscriptions: Map<string, Set<string>>;
  accountId: string | undefined;
  deadline: NodeJS.Timeout | undefined;
}

/**
 * The simulator's WebSocket side: the market endpoint (level2 as l2_data, market_trades, ticker,
 * heartbeats) and the user endpoint (user, heartbeats), subscribe-within-deadline, JWT on the user
 * channel, a connection-wide `sequence_num`, all fed from the matching engine's events.
 */
export class CoinbaseSimStreamHub {
  readonly #state: CoinbaseSimState;
  readonly #logger: Logger;
  readonly #o: StreamHubOptions;
  readonly #connections = new Set<Connection>();
  readonly #ticker: NodeJS.Timeout;
  #server: SimServer | undefined;

  constructor(state: CoinbaseSimState, logger: Logger, options: StreamHubOptions) {
    this.#state = state;
    this.#logger = logger;
    this.#o = options;
    state.engine.subscribe((event) => this.#onEngineEvent(event));
    this.#ticker = setInterval(() => this.#tick(), options.heartbeatIntervalMs);
    this.#ticker.unref();
  }

  attach(server: SimServer): void {
    this.#server = server;
  }

  close(): void {
    clearInterval(this.#ticker);
    for (const c of this.#connections) clearTimeout(c.deadline);
  }

  connection(socket: WebSocket, path: string): void {
    const endpoint =
      path === MARKET_PATH || path === '/' ? 'market' : path === USER_PATH ? 'user' : undefined;
    if (endpoint === undefined) {
      socket.close(1008, 'unknown path');
      return;
    }
    const c: Connection = {
      socket,
      endpoint,
      sequence: 0,
      heartbeats: 0,
      subscriptions: new Map(),
      accountId: undefined,
      deadline: undefined,
    };
    c.deadline = setTimeout(() => {
      this.#logger.info({ endpoint }, 'no subscribe within the deadline; closing');
      socket.close(1008, 'subscribe deadline exceeded');
    }, this.#o.subscribeDeadlineMs);
    c.deadline.unref();
    this.#connections.add(c);
    socket.on('close', () => {
      clearTimeout(c.deadline);
      this.#connections.delete(c);
    });
    socket.on('message', (data: Buffer) => {
      this.#onRequest(c, data.toString('utf8')).catch((error: unknown) => {
        this.#logger.error({ err: error }, 'simulator could not answer a WebSocket request');
      });
    });
  }

  #send(c: Connection, channel: string, events: unknown[], marketData: boolean): void {
    const frame = {
      channel,
      client_id: '',
      timestamp: iso(this.#state.now()),
      sequence_num: c.sequence++,
      events,
    };
    this.#server?.send(c.socket, JSON.stringify(frame), marketData);
  }

  #error(c: Connection, message: string): void {
    this.#server?.send(c.socket, JSON.stringify({ type: 'error', message }), false);
  }

  async #onRequest(c: Connection, text: string): Promise<void> {
    let request: { type?: unknown; channel?: unknown; product_ids?: unknown; jwt?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      // Unparsable requests are refused the way a bad subscription is.
      this.#error(c, 'failure to subscribe');
      return;
    }
    const { type, channel } = request;
    const products = Array.isArray(request.product_ids)
      ? request.product_ids.filter((p): p is string => typeof p === 'string')
      : [];
    const allowed = c.endpoint === 'market' ? MARKET_CHANNELS : USER_CHANNELS;
    if (
      (type !== 'subscribe' && type !== 'unsubscribe') ||
      typeof channel !== 'string' ||
      !allowed.includes(channel)
    ) {
      this.#error(c, 'failure to subscribe');
      return;
    }
    if (
      PRODUCT_CHANNELS.includes(channel) &&
      (products.length === 0 || products.some((p) => !this.#state.products.has(p)))
    ) {
      this.#error(c, 'failure to subscribe');
      return;
    }
    if (typeof request.jwt === 'string') {
      try {
        const key = await verifyJwt(request.jwt, this.#state.keys, this.#state.now(), undefined);
        c.accountId = key.accountId;
      } catch (error) {
        if (!(error instanceof CoinbaseSimError)) throw error;
        this.#error(c, 'authentication failure');
        return;
      }
    } else if (channel === 'user') {
      this.#error(c, 'authentication failure');
      return;
    }
    clearTimeout(c.deadline);
    const set = c.subscriptions.get(channel) ?? new Set<string>();
    if (type === 'unsubscribe') {
      for (const p of products) set.delete(p);
      if (products.length === 0 || set.size === 0) c.subscriptions.delete(channel);
      this.#sendSubscriptions(c);
      return;
    }
    for (const p of products) set.add(p);
    c.subscriptions.set(channel, set);
    this.#sendSubscriptions(c);
    this.#sendSnapshots(c, channel, products);
  }

  #sendSubscriptions(c: Connection): void {
    const subscriptions: Record<string, string[]> = {};
    for (const [channel, set] of c.subscriptions) {
      subscriptions[channel] = channel === 'user' ? [c.accountId ?? ''] : [...set];
    }
    this.#send(c, 'subscriptions', [{ subscriptions }], false);
  }

  #sendSnapshots(c: Connection, channel: string, products: readonly string[]): void {
    const engine = this.#state.engine;
    const now = this.#state.now();
    if (channel === 'level2') {
      for (const p of products) this.#send(c, 'l2_data', [l2Snapshot(p, engine.book(p), now)], true);
    } else if (channel === 'market_trades') {
      const trades = products.flatMap((p) => engine.trades(p, 50).map(tradeJson));
      this.#send(c, 'market_trades', [{ type: 'snapshot', trades }], true);
    } else if (channel === 'ticker') {
      const tickers = products.map((p) =>
        tickerJson(
          p,
          (engine.lastPrice(p) ?? this.#state.products.get(p)?.referencePrice)?.toString() ?? '0',
          engine.book(p, 1),
        ),
      );
      this.#send(c, 'ticker', [{ type: 'snapshot', tickers }], true);
    } else if (channel === 'user' && c.accountId !== undefined) {
      const accountId = c.accountId;
      const orders = [...this.#state.orders.values()]
        .filter((r) => r.accountId === accountId && statusOf(r) === 'OPEN')
        .map(userOrderJson);
      this.#send(
        c,
        'user',
        [
          {
            type: 'snapshot',
            orders,
            positions: { perpetual_futures_positions: [], expiring_futures_positions: [] },
          },
        ],
        false,
      );
    }
  }

  #subscribed(c: Connection, channel: string, product?: string): boolean {
    const set = c.subscriptions.get(channel);
    return set !== undefined && (product === undefined || set.has(product));
  }

  #tick(): void {
    try {
      sweepExpired(this.#state);
    } catch (error) {
      this.#logger.error({ err: error }, 'GTD expiry sweep failed');
    }
    if (this.#state.faults.staleHeartbeats) return;
    const now = this.#state.now();
    for (const c of this.#connections) {
      if (!this.#subscribed(c, 'heartbeats')) continue;
      this.#send(c, 'heartbeats', [heartbeatJson(now, c.heartbeats++)], false);
    }
  }

  #onEngineEvent(event: EngineEvent): void {
    try {
      this.#dispatch(event);
    } catch (error) {
      this.#logger.error({ err: error, kind: event.kind }, 'simulator could not publish an engine event');
    }
  }

  #dispatch(event: EngineEvent): void {
    switch (event.kind) {
      case 'book': {
        const product = event.instrumentId;
        const gap = this.#state.faults.takeSequenceGap(product);
        let frame: unknown;
        for (const c of this.#connections) {
          if (!this.#subscribed(c, 'level2', product)) continue;
          if (gap) c.sequence += GAP_SIZE;
          frame ??= l2Update(event);
          this.#send(c, 'l2_data', [frame], true);
        }
        return;
      }
      case 'trade': {
        let trades: unknown;
        let tickers: unknown;
        for (const c of this.#connections) {
          if (this.#subscribed(c, 'market_trades', event.instrumentId)) {
            trades ??= { type: 'update', trades: [tradeJson(event)] };
            this.#send(c, 'market_trades', [trades], true);
          }
          if (this.#subscribed(c, 'ticker', event.instrumentId)) {
            tickers ??= {
              type: 'update',
              tickers: [
                tickerJson(
                  event.instrumentId,
                  event.price.toString(),
                  this.#state.engine.book(event.instrumentId, 1),
                ),
              ],
            };
            this.#send(c, 'ticker', [tickers], true);
          }
        }
        return;
      }
      case 'order': {
        const record = this.#state.byClientId.get(clientKey(event.accountId, event.order.clientOrderId));
        if (record === undefined) return;
        let update: unknown;
        for (const c of this.#connections) {
          if (c.accountId !== event.accountId || !this.#subscribed(c, 'user')) continue;
          update ??= { type: 'update', orders: [userOrderJson(record)] };
          this.#send(c, 'user', [update], false);
        }
        return;
      }
      default:
        return;
    }
  }
}
