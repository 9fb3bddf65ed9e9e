import type { Logger } from '../../../observability/index.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import { parseUserDataFrame } from '../common/parse-user-data.ts';
import type { UserDataEvent } from '../common/user-data.ts';
import { userDataStreamUrl } from '../common/urls.ts';
import type { BinanceUsRestClient } from '../http/rest-client.ts';
import { handleFrame } from './handler.ts';
import { ReconnectingSocket } from '../../common/index.ts';

export interface UserDataClientOptions {
  readonly config: BinanceUsConfig;
  readonly rest: BinanceUsRestClient;
  readonly logger: Logger;
  readonly metrics: BinanceUsMetrics;
  readonly onEvent: (event: UserDataEvent) => void;
  readonly onConnected?: () => void;
  /** Events may have been missed while disconnected: reconcile orders by querying after this. */
  readonly onDisconnected?: () => void;
}

/**
 * The user data stream: a listen key from `POST /api/v3/userDataStream` (reused or re-created on
 * every connect, since POST returns the active key), kept alive with PUT, and a reconnecting socket.
 */
export class UserDataClient {
  readonly #o: UserDataClientOptions;
  readonly #socket: ReconnectingSocket;
  readonly #logger: Logger;
  #listenKey: string | undefined;
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(options: UserDataClientOptions) {
    this.#o = options;
    this.#logger = options.logger.child({ component: 'binanceus-user-stream' });
    this.#socket = new ReconnectingSocket({
      name: 'user',
      url: async () => {
        this.#listenKey = await options.rest.createListenKey();
        return userDataStreamUrl(options.config.urls, this.#listenKey);
      },
      onOpen: () => options.onConnected?.(),
      onMessage: (text) =>
        handleFrame(text, parseUserDataFrame, options.onEvent, {
          logger: this.#logger,
          metrics: options.metrics,
          connection: 'user',
        }),
      onDrop: () => options.onDisconnected?.(),
      onReconnect: () => options.metrics.reconnects.inc({ connection: 'user' }),
      logger: this.#logger,
      initialBackoffMs: options.config.reconnectInitialMs,
      maxBackoffMs: options.config.reconnectMaxMs,
      staleAfterMs: options.config.staleAfterMs,
      pingIntervalMs: options.config.pingIntervalMs,
    });
  }

  get listenKey(): string | undefined {
    return this.#listenKey;
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  start(): void {
    this.#socket.start();
    this.#keepAlive = setInterval(() => void this.#extend(), this.#o.config.listenKeyKeepAliveMs);
    this.#keepAlive.unref();
  }

  recycle(reason: string): void {
    this.#socket.recycle(reason);
  }

  async close(): Promise<void> {
    clearInterval(this.#keepAlive);
    await this.#socket.close();
    const key = this.#listenKey;
    this.#listenKey = undefined;
    if (key === undefined) return;
    try {
      await this.#o.rest.closeListenKey(key);
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not close the listen key; it expires on its own in 60 min');
    }
  }

  async #extend(): Promise<void> {
    const key = this.#listenKey;
    if (key === undefined) return;
    try {
      await this.#o.rest.keepAliveListenKey(key);
    } catch (error) {
      // An expired key (-1125) is replaced by reconnecting, which POSTs for a fresh one.
      this.#logger.warn({ err: error }, 'listen key keepalive failed; reconnecting with a new key');
      this.#socket.recycle('listen key keepalive failed');
    }
  }
}
