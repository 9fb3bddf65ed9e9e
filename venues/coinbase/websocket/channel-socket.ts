import type { Logger } from '../../../observability/index.ts';
import type { CoinbaseConfig } from '../config.ts';
import type { CoinbaseCredentials } from '../common/credentials.ts';
import { Channel } from '../common/enums.ts';
import { websocketJwt } from '../common/jwt.ts';
import type { CoinbaseMessage } from '../common/market-data.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { parseMessage } from '../common/parse-messages.ts';
import type { SubscribeRequest } from './messages.ts';
import { ReconnectingSocket } from '../../common/index.ts';

export interface ChannelSocketOptions {
  /** `market` or `user`: logs and metric labels. */
  readonly name: string;
  readonly url: string;
  readonly config: CoinbaseConfig;
  readonly credentials: CoinbaseCredentials | undefined;
  /** Channels that need a JWT on subscribe (the user channel). */
  readonly authenticated: boolean;
  readonly logger: Logger;
  readonly metrics: CoinbaseMetrics;
  readonly onMessage: (message: CoinbaseMessage) => void;
  /** After every (re)connect, once the subscribe messages have been sent. */
  readonly onSubscribed?: (reconnect: boolean) => void;
  /** `sequence_num` jumped: messages were lost on this connection. */
  readonly onGap?: (expected: number, received: number) => void;
  readonly onDrop?: (reason: string) => void;
}

/**
 * One Advanced Trade WebSocket connection: subscribes every channel (plus `heartbeats`, which keeps
 * quiet subscriptions open) immediately on open, well inside the venue's 5 s deadline; resubscribes
 * after a reconnect; checks the connection-wide `sequence_num`; never lets a bad frame escape.
 */
export class ChannelSocket {
  readonly #o: ChannelSocketOptions;
  readonly #socket: ReconnectingSocket;
  readonly #logger: Logger;
  /** channel → product ids (empty for product-less channels such as user and heartbeats). */
  readonly #subscriptions = new Map<string, Set<string>>([[Channel.HEARTBEATS, new Set()]]);
  #expected: number | undefined;
  #opens = 0;
  #started = false;

  constructor(options: ChannelSocketOptions) {
    this.#o = options;
    this.#logger = options.logger.child({ component: `coinbase-${options.name}-stream` });
    this.#socket = new ReconnectingSocket({
      name: options.name,
      url: options.url,
      onOpen: () => void this.#onOpen(),
      onMessage: (text) => this.#onText(text),
      onDrop: (reason) => {
        this.#expected = undefined;
        options.onDrop?.(reason);
      },
      onReconnect: () => options.metrics.reconnects.inc({ connection: options.name }),
      logger: this.#logger,
      initialBackoffMs: options.config.reconnectInitialMs,
      maxBackoffMs: options.config.reconnectMaxMs,
      staleAfterMs: options.config.staleAfterMs,
      pingIntervalMs: options.config.pingIntervalMs,
    });
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Adds a subscription; connects on first use, else subscribes live. */
  subscribe(channel: string, productIds: readonly string[] = []): void {
    const set = this.#subscriptions.get(channel) ?? new Set<string>();
    const added = productIds.filter((p) => !set.has(p));
    for (const p of added) set.add(p);
    const isNew = !this.#subscriptions.has(channel);
    this.#subscriptions.set(channel, set);
    if (!this.#started) {
      this.#started = true;
      this.#socket.start();
      return;
    }
    if (this.#socket.connected && (isNew || added.length > 0))
      void this.#send('subscribe', channel, isNew ? [...set] : added);
  }

  unsubscribe(channel: string, productIds: readonly string[]): void {
    const set = this.#subscriptions.get(channel);
    if (set === undefined) return;
    for (const p of productIds) set.delete(p);
    if (this.#socket.connected) void this.#send('unsubscribe', channel, productIds);
  }

  /** Unsubscribes and subscribes again: the venue then sends a fresh snapshot. */
  async resubscribe(channel: string, productIds: readonly string[], reason: string): Promise<void> {
    this.#o.metrics.resubscribes.inc({ channel, reason });
    this.#logger.info({ channel, productIds, reason }, 'resubscribing for a fresh snapshot');
    await this.#send('unsubscribe', channel, productIds);
    await this.#send('subscribe', channel, productIds);
  }

  recycle(reason: string): void {
    this.#socket.recycle(reason);
  }

  async close(): Promise<void> {
    await this.#socket.close();
  }

  async #onOpen(): Promise<void> {
    this.#expected = undefined;
    this.#opens += 1;
    try {
      for (const [channel, products] of this.#subscriptions)
        await this.#send('subscribe', channel, [...products]);
      this.#o.onSubscribed?.(this.#opens > 1);
    } catch (error) {
      this.#logger.error({ err: error }, 'could not subscribe; recycling the connection');
      this.#socket.recycle('subscribe failed');
    }
  }

  async #send(
    type: 'subscribe' | 'unsubscribe',
    channel: string,
    productIds: readonly string[],
  ): Promise<void> {
    const needsJwt = this.#o.authenticated || channel === Channel.USER;
    const credentials = this.#o.credentials;
    if (needsJwt && credentials === undefined) {
      throw new MalformedPayloadError('subscribe', 'jwt', `channel ${channel} needs credentials`);
    }
    const request: SubscribeRequest = {
      type,
      channel,
      ...(productIds.length > 0 ? { product_ids: productIds } : {}),
      ...(credentials !== undefined ? { jwt: await websocketJwt(credentials) } : {}),
    };
    if (!this.#socket.send(JSON.stringify(request))) {
      this.#logger.debug({ type, channel }, 'not connected; the subscription is sent on the next connect');
    }
  }

  #onText(text: string): void {
    let message: CoinbaseMessage;
    try {
      message = parseMessage(text);
    } catch (error) {
      const kind = error instanceof MalformedPayloadError ? error.payloadKind : 'unparsable';
      this.#o.metrics.malformedPayloads.inc({ kind });
      this.#logger.warn(
        { connection: this.#o.name, raw: text.slice(0, 4096), err: error },
        'malformed venue payload dropped',
      );
      return;
    }
    if (message.channel === 'error') {
      this.#o.metrics.errors.inc({ kind: 'ws_error_frame' });
      this.#logger.error(
        { connection: this.#o.name, message: message.message },
        'venue refused a subscription',
      );
      return;
    }
    const expected = this.#expected;
    this.#expected = message.sequence + 1;
    if (expected !== undefined && message.sequence !== expected) {
      this.#o.metrics.sequenceGaps.inc({ connection: this.#o.name });
      this.#logger.warn(
        { connection: this.#o.name, expected, received: message.sequence },
        'sequence_num gap: messages lost',
      );
      this.#deliver(() => this.#o.onGap?.(expected, message.sequence), text);
    }
    this.#deliver(() => this.#o.onMessage(message), text);
  }

  #deliver(fn: () => void, raw: string): void {
    try {
      fn();
    } catch (error) {
      this.#o.metrics.errors.inc({ kind: 'consumer' });
      this.#logger.error(
        { connection: this.#o.name, raw: raw.slice(0, 4096), err: error },
        'stream consumer failed on a frame',
      );
    }
  }
}
