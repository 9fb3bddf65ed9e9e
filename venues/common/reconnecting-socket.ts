import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Logger } from '../../observability/index.ts';
import { reconnectDelayMs } from './backoff.ts';
import type { RandomSource } from './backoff.ts';

export interface ReconnectingSocketOptions {
  /** Name used in logs and the reconnect metric label. */
  readonly name: string;
  /**
   * The URL, or a function called before every connect so a reconnect uses the current URL
   * (Binance's combined streams and listen key change while connected).
   */
  readonly url: string | (() => string | Promise<string>);
  readonly onOpen: () => void;
  readonly onMessage: (text: string) => void;
  /** Called on every drop before the reconnect is scheduled. */
  readonly onDrop?: (reason: string) => void;
  readonly onReconnect?: () => void;
  readonly logger: Logger;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly staleAfterMs: number;
  readonly pingIntervalMs: number;
  /** Jitter source for the reconnect delay (Math.random when absent). */
  readonly random?: RandomSource;
}

/**
 * A WebSocket that stays connected, for every venue: exponential backoff with jitter on drops,
 * answers pings (ws does so itself), sends its own pings and replaces a socket that has been silent
 * (no frame, ping or pong) for `staleAfterMs`.
 */
export class ReconnectingSocket {
  readonly #o: ReconnectingSocketOptions;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #closed = false;
  #everOpened = false;
  #lastSeen = 0;
  #timer: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;

  constructor(options: ReconnectingSocketOptions) {
    this.#o = options;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#closed = false;
    void this.#connect();
  }

  send(text: string): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(text);
    return true;
  }

  /** Drops the current socket on purpose (it will reconnect), e.g. after a book gap storm. */
  recycle(reason: string): void {
    this.#o.logger.info({ socket: this.#o.name, reason }, 'recycling stream connection');
    this.#socket?.terminate();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1000).unref();
    });
  }

  async #connect(): Promise<void> {
    let url: string;
    try {
      url = typeof this.#o.url === 'string' ? this.#o.url : await this.#o.url();
    } catch (error) {
      this.#o.logger.warn({ socket: this.#o.name, err: error }, 'could not build the stream URL; retrying');
      this.#scheduleReconnect('url failed');
      return;
    }
    if (this.#closed) return;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.on('open', () => {
      this.#attempt = 0;
      this.#lastSeen = Date.now();
      if (this.#everOpened) this.#o.onReconnect?.();
      this.#everOpened = true;
      this.#startHeartbeat(socket);
      this.#o.onOpen();
    });
    socket.on('message', (data: RawData) => {
      this.#lastSeen = Date.now();
      this.#o.onMessage(rawText(data));
    });
    socket.on('ping', () => {
      this.#lastSeen = Date.now();
    });
    socket.on('pong', () => {
      this.#lastSeen = Date.now();
    });
    socket.on('error', (error) => {
      this.#o.logger.warn({ socket: this.#o.name, err: error }, 'stream socket error');
    });
    socket.on('close', (code, reason) => {
      clearInterval(this.#timer);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      const why = `closed ${code} ${reason.toString()}`;
      this.#o.onDrop?.(why);
      if (!this.#closed) this.#scheduleReconnect(why);
    });
  }

  #startHeartbeat(socket: WebSocket): void {
    clearInterval(this.#timer);
    // Silence is checked four times per stale period (a dead socket goes within 1.25 × staleAfterMs),
    // but pings go out only every pingIntervalMs: venues cap incoming messages, pings included
    // (Binance: 5 per second per connection).
    const every = Math.max(50, Math.min(this.#o.pingIntervalMs, this.#o.staleAfterMs / 4));
    let lastPing = Date.now();
    this.#timer = setInterval(() => {
      const now = Date.now();
      if (now - this.#lastSeen > this.#o.staleAfterMs) {
        this.#o.logger.warn(
          { socket: this.#o.name, staleAfterMs: this.#o.staleAfterMs },
          'stream silent; replacing it',
        );
        socket.terminate();
        return;
      }
      if (socket.readyState === WebSocket.OPEN && now - lastPing >= this.#o.pingIntervalMs) {
        lastPing = now;
        socket.ping();
      }
    }, every);
    this.#timer.unref();
  }

  #scheduleReconnect(reason: string): void {
    const delay = reconnectDelayMs(this.#attempt, {
      initialMs: this.#o.initialBackoffMs,
      maxMs: this.#o.maxBackoffMs,
      ...(this.#o.random !== undefined ? { random: this.#o.random } : {}),
    });
    this.#attempt += 1;
    this.#o.logger.info(
      { socket: this.#o.name, reason, delayMs: delay, attempt: this.#attempt },
      'reconnecting',
    );
    this.#retry = setTimeout(() => void this.#connect(), delay);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
