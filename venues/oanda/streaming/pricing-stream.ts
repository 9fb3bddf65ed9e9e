import { trimSlash } from '../common/urls.ts';
import { parsePricingLine } from '../common/parse-line.ts';
import type { OandaPrice } from '../common/price-line.ts';
import { ChunkedLineStream } from './chunked-stream.ts';
import type { LineKind } from './chunked-stream.ts';
import { reportMalformed, streamHeaders } from './stream-context.ts';
import type { OandaStreamContext } from './stream-context.ts';

/**
 * The pricing stream (GET {stream}/v3/accounts/{id}/pricing/stream?instruments=…&snapshot=true). The
 * instrument set is part of the URL, so adding one replaces the connection. OANDA sends only the
 * latest price per 250 ms window and every line is a full price, so a reconnect loses nothing.
 */
export class OandaPricingStream {
  readonly #context: OandaStreamContext;
  readonly #instruments = new Set<string>();
  readonly #stream: ChunkedLineStream;
  readonly #listener: (price: OandaPrice) => void;
  readonly #onReconnect: (reason: string) => void;
  #started = false;

  constructor(
    context: OandaStreamContext,
    listener: (price: OandaPrice) => void,
    onReconnect: (reason: string) => void = () => undefined,
  ) {
    this.#context = context;
    this.#listener = listener;
    this.#onReconnect = onReconnect;
    this.#stream = new ChunkedLineStream({
      name: 'pricing',
      url: () =>
        `${trimSlash(context.config.urls.stream)}/v3/accounts/${context.credentials.accountId}/pricing/stream?` +
        new URLSearchParams({ instruments: [...this.#instruments].join(','), snapshot: 'true' }).toString(),
      headers: () => streamHeaders(context),
      connections: context.connections,
      heartbeatTimeoutMs: context.config.heartbeatTimeoutMs,
      reconnectInitialMs: context.config.reconnectInitialMs,
      reconnectMaxMs: context.config.reconnectMaxMs,
      logger: context.logger,
      metrics: context.metrics,
      onLine: (line) => this.#line(line),
      onDisconnected: (reason) => this.#onReconnect(reason),
    });
  }

  get connected(): boolean {
    return this.#stream.connected;
  }

  /** Adds instruments (OANDA names); connects, or reconnects with the larger set. */
  async add(names: readonly string[]): Promise<void> {
    const before = this.#instruments.size;
    for (const n of names) this.#instruments.add(n);
    if (this.#instruments.size === before) return;
    if (!this.#started) {
      this.#started = true;
      await this.#stream.start();
    } else {
      this.#stream.reconnect('replaced: instrument set changed');
    }
  }

  close(): Promise<void> {
    return this.#stream.close();
  }

  #line(line: string): LineKind {
    try {
      const parsed = parsePricingLine(line);
      this.#context.metrics.streamLines.inc({ stream: 'pricing', type: parsed.type });
      if (parsed.type === 'HEARTBEAT') return 'heartbeat';
      this.#listener(parsed.price);
      return 'data';
    } catch (error) {
      reportMalformed(this.#context, 'pricing', line, error);
      return 'malformed';
    }
  }
}
