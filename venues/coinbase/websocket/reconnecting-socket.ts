import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Logger } from '../../../observability/index.ts';

export interface ReconnectingSocketOptions {
  /** Name used in logs and the reconnect metric label. */
  readonly name: string;
  readonly url: string;
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
  readonly random?: () => number;
}

/**
 * A WebSocket that stays connected: exponential backoff with jitter on drops, its own pings, and
 * replacement of a socket silent for `staleAfterMs` (no frame, ping or pong; heartbeats arrive
 * every second, so silence means a dead or stale connection).
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
    this.#connect();
  }

  send(text: string): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(text);
    return true;
  }

  /** Drops the current socket on purpose; it reconnects. */
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

  #connect(): void {
    if (this.#closed) return;
    const socket = new WebSocket(this.#o.url);
    this.#socket = socket;
    socket.on('open', () => {
      this.#attempt = 0;
      this.#lastSeen = Date.now();
      if (this.#everOpened) this.#o.onReconnect?.();
      this.#everOpened = true;
      this.#startWatchdog(socket);
      this.#o.onOpen();
    });
    socket.on('message', (data: RawData) => {
      this.#lastSeen = Date.now();
      this.#o.onMessage(rawText(data));
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

  #startWatchdog(socket: WebSocket): void {
    clearInterval(this.#timer);
    const every = Math.max(50, Math.min(this.#o.pingIntervalMs, this.#o.staleAfterMs / 4));
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastSeen > this.#o.staleAfterMs) {
        this.#o.logger.warn(
          { socket: this.#o.name, staleAfterMs: this.#o.staleAfterMs },
          'stream silent; replacing it',
        );
        socket.terminate();
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, every);
    this.#timer.unref();
  }

  #scheduleReconnect(reason: string): void {
    const base = Math.min(this.#o.maxBackoffMs, this.#o.initialBackoffMs * 2 ** this.#attempt);
    const delay = Math.round(base * (0.5 + (this.#o.random ?? Math.random)() * 0.5));
    this.#attempt += 1;
    this.#o.logger.info(
      { socket: this.#o.name, reason, delayMs: delay, attempt: this.#attempt },
      'reconnecting',
    );
    this.#retry = setTimeout(() => this.#connect(), delay);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
