import type { Logger } from '../../../observability/index.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { MarketDataEvent } from '../common/market-data.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { asObject, parseJson } from '../common/parse-fields.ts';
import { parseStreamPayload } from '../common/parse-market-data.ts';
import { combinedStreamUrl } from '../common/urls.ts';
import { handleFrame } from './handler.ts';
import { ReconnectingSocket } from '../../common/index.ts';

export interface MarketDataClientOptions {
  readonly config: BinanceUsConfig;
  readonly logger: Logger;
  readonly metrics: BinanceUsMetrics;
  readonly onEvent: (event: MarketDataEvent) => void;
  /** Called after every (re)connect, once the streams are subscribed. */
  readonly onConnected?: () => void;
  /** Called when the connection drops: depth consumers must discard their books. */
  readonly onDisconnected?: () => void;
}

/**
 * One combined-streams connection (`/stream?streams=a/b`). The URL always lists every current
 * stream, so a reconnect resubscribes; streams added while open are also sent as a live SUBSCRIBE.
 */
export class MarketDataClient {
  readonly #streams = new Set<string>();
  readonly #socket: ReconnectingSocket;
  readonly #o: MarketDataClientOptions;
  #nextId = 1;
  #started = false;

  constructor(options: MarketDataClientOptions) {
    this.#o = options;
    this.#socket = new ReconnectingSocket({
      name: 'market',
      url: () => combinedStreamUrl(options.config.urls, [...this.#streams]),
      onOpen: () => options.onConnected?.(),
      onMessage: (text) => this.#onMessage(text),
      onDrop: () => options.onDisconnected?.(),
      onReconnect: () => options.metrics.reconnects.inc({ connection: 'market' }),
      logger: options.logger.child({ component: 'binanceus-market-stream' }),
      initialBackoffMs: options.config.reconnectInitialMs,
      maxBackoffMs: options.config.reconnectMaxMs,
      staleAfterMs: options.config.staleAfterMs,
      pingIntervalMs: options.config.pingIntervalMs,
    });
  }

  get streams(): readonly string[] {
    return [...this.#streams];
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Adds streams (lowercase names); connects on first use. */
  subscribe(streams: readonly string[]): void {
    const added = streams.filter((s) => !this.#streams.has(s));
    for (const s of added) this.#streams.add(s);
    if (!this.#started) {
      this.#started = true;
      this.#socket.start();
      return;
    }
    if (added.length > 0)
      this.#socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: added, id: this.#nextId++ }));
  }

  recycle(reason: string): void {
    this.#socket.recycle(reason);
  }

  async close(): Promise<void> {
    await this.#socket.close();
  }

  #onMessage(text: string): void {
    handleFrame(text, parseFrame, this.#o.onEvent, {
      logger: this.#o.logger,
      metrics: this.#o.metrics,
      connection: 'market',
    });
  }
}

function parseFrame(text: string): MarketDataEvent | undefined {
  const frame = asObject(parseJson(text, 'combinedFrame'), 'combinedFrame');
  const stream = frame['stream'];
  // Answers to SUBSCRIBE etc. carry `id` and no stream.
  if (typeof stream !== 'string') {
    if ('id' in frame) return undefined;
    throw new MalformedPayloadError('combinedFrame', 'stream', 'missing stream name');
  }
  return parseStreamPayload(stream, frame['data']);
}
