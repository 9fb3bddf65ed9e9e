import { UnauthenticatedError } from '../../../domain/errors.ts';
import { reconnectDelayMs } from '../../common/index.ts';
import type { RandomSource } from '../../common/index.ts';
import type { Logger } from '../../../observability/index.ts';
import type { OandaMetrics } from '../common/metrics.ts';
import type { TokenBucket } from '../http/rate-limiter.ts';
import { describe } from '../http/client.ts';
import { LineSplitter } from './line-splitter.ts';

/** Why a connection ended, as counted: `oanda_stream_reconnects_total{reason}`. */
const REASONS = ['heartbeat', 'http', 'replaced', 'dropped', 'closed'] as const;

export type LineKind = 'heartbeat' | 'data' | 'malformed';

export interface ChunkedStreamOptions {
  /** Metric/log label: `pricing` or `transactions`. */
  readonly name: string;
  /** Built at each connect (the pricing stream's instrument list may have changed). */
  readonly url: () => string;
  readonly headers: () => Record<string, string>;
  /** The shared budget of new connections (2/s). */
  readonly connections: TokenBucket;
  readonly heartbeatTimeoutMs: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /** Jitter source for the reconnect delay (Math.random when absent). */
  readonly random?: RandomSource;
  readonly logger: Logger;
  readonly metrics: OandaMetrics;
  /** Handles one line; says whether it was a heartbeat (which resets the watchdog). */
  readonly onLine: (line: string) => LineKind;
  /** Runs once the venue answered 200, before lines are read (the transaction stream replays here). */
  readonly onConnected?: () => Promise<void> | void;
  readonly onDisconnected?: (reason: string) => void;
}

/**
 * One OANDA streaming endpoint (HTTP/1.1 chunked, one JSON object per line) that stays connected:
 * reconnects with backoff after an error, an end of stream, a non-200 answer, or when no heartbeat
 * arrived within `heartbeatTimeoutMs`; each new connection waits for a token of the 2/s budget.
 */
export class ChunkedLineStream {
  readonly #o: ChunkedStreamOptions;
  #controller: AbortController | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #connected = false;
  #firstConnect: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(options: ChunkedStreamOptions) {
    this.#o = options;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Starts the loop; resolves on the first successful connection (after onConnected). */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#running = true;
    const first = new Promise<void>((resolve, reject) => {
      this.#firstConnect = { resolve, reject };
    });
    this.#loop = this.#run();
    return first;
  }

  /** Replaces the current connection (e.g. the instrument list changed). */
  reconnect(reason: string): void {
    this.#controller?.abort(new Error(reason));
    this.#wake?.();
  }

  async close(): Promise<void> {
    this.#running = false;
    this.#controller?.abort(new Error('closed'));
    this.#wake?.();
    this.#clearWatchdog();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (this.#running) {
      let wasConnected = false;
      const reason = await this.#connectOnce(() => (wasConnected = true)).catch(
        (error: unknown) => `error: ${describe(error)}`,
      );
      this.#connected = false;
      this.#clearWatchdog();
      if (!this.#running) break;
      const label = REASONS.find((r) => reason.startsWith(r)) ?? 'error';
      if (/^http 40[13]/.test(reason) && this.#firstConnect !== undefined) {
        // Credentials the venue refuses will not start working by retrying: fail start() instead.
        this.#running = false;
        this.#o.logger.error({ stream: this.#o.name, reason }, 'OANDA stream refused the credentials');
        this.#firstConnect.reject(new UnauthenticatedError(`${this.#o.name} stream: ${reason}`));
        this.#firstConnect = undefined;
        break;
      }
      this.#o.metrics.streamReconnects.inc({ stream: this.#o.name, reason: label });
      if (wasConnected) attempt = 0;
      // A replacement we asked for (new instrument list) reconnects at once.
      const delay =
        label === 'replaced'
          ? 0
          : reconnectDelayMs(attempt++, {
              initialMs: this.#o.reconnectInitialMs,
              maxMs: this.#o.reconnectMaxMs,
              ...(this.#o.random !== undefined ? { random: this.#o.random } : {}),
            });
      this.#o.logger.warn(
        { stream: this.#o.name, reason, delayMs: delay },
        'OANDA stream disconnected; reconnecting',
      );
      this.#o.onDisconnected?.(reason);
      await this.#sleep(delay);
    }
    this.#firstConnect?.reject(new Error(`${this.#o.name} stream closed before it connected`));
  }

  /** One connection, until it ends; returns why it ended. */
  async #connectOnce(onConnected: () => void): Promise<string> {
    await this.#o.connections.acquire();
    if (!this.#running) return 'closed';
    const controller = new AbortController();
    this.#controller = controller;
    const response = await fetch(this.#o.url(), { headers: this.#o.headers(), signal: controller.signal });
    if (response.status !== 200 || response.body === null) {
      const body = await response.text().catch((error: unknown) => `(body unreadable: ${describe(error)})`);
      return `http ${response.status}: ${body.slice(0, 200)}`;
    }
    // Lines that arrive meanwhile wait in the response stream: nothing is lost while onConnected replays.
    await this.#o.onConnected?.();
    this.#armWatchdog(controller);
    this.#connected = true;
    onConnected();
    this.#firstConnect?.resolve();
    this.#firstConnect = undefined;
    const splitter = new LineSplitter();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'dropped: end of stream';
        const { lines, overflow } = splitter.push(value);
        if (overflow) {
          this.#o.metrics.malformedPayloads.inc({ kind: `${this.#o.name}-overlong-line` });
          this.#o.logger.error(
            { stream: this.#o.name },
            'OANDA stream line over 1 MiB without newline; dropped',
          );
        }
        for (const line of lines) {
          if (this.#o.onLine(line) === 'heartbeat') this.#armWatchdog(controller);
        }
      }
    } catch (error) {
      const reason = controller.signal.reason as unknown;
      if (controller.signal.aborted && reason instanceof Error) return reason.message;
      return `dropped: ${describe(error)}`;
    } finally {
      reader.releaseLock();
    }
  }

  #armWatchdog(controller: AbortController): void {
    this.#clearWatchdog();
    this.#watchdog = setTimeout(
      () => controller.abort(new Error(`heartbeat: none within ${this.#o.heartbeatTimeoutMs} ms`)),
      this.#o.heartbeatTimeoutMs,
    );
  }

  #clearWatchdog(): void {
    if (this.#watchdog !== undefined) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
