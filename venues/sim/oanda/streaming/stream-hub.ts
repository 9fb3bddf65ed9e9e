import type { ServerResponse } from 'node:http';
import type { Logger } from '../../../../observability/index.ts';
import { clientPrice } from '../common/client-price.ts';
import { rfc3339 } from '../common/format.ts';
import type { OandaSimState } from '../common/sim-state.ts';

export type StreamKind = 'pricing' | 'transactions';

interface StreamClient {
  readonly kind: StreamKind;
  readonly res: ServerResponse;
  readonly instruments: readonly string[];
  /** Book sequence last sent per instrument. */
  readonly sent: Map<string, bigint>;
}

export interface StreamHubOptions {
  /** Pricing window: at most one price per instrument per window (OANDA: 250 ms). */
  readonly priceIntervalMs: number;
  /** Heartbeat period on both streams (OANDA: 5 s). */
  readonly heartbeatIntervalMs: number;
}

/**
 * The two chunked streaming endpoints: newline-delimited JSON written to open HTTP responses.
 * Pricing sends the latest price of an instrument whose book changed, once per window; the
 * transaction stream sends every transaction as it is recorded; both send heartbeats (the
 * transaction stream's carry lastTransactionID). Faults: stale heartbeats stop heartbeats, silent
 * streams stop prices, latency delays every line, drop-streams destroys every connection.
 */
export class OandaSimStreamHub {
  readonly #state: OandaSimState;
  readonly #logger: Logger;
  readonly #clients = new Set<StreamClient>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: () => void;

  constructor(state: OandaSimState, logger: Logger, options: StreamHubOptions) {
    this.#state = state;
    this.#logger = logger;
    this.#unsubscribe = state.log.subscribe((t) => {
      const line = JSON.stringify(t);
      for (const c of this.#clients) if (c.kind === 'transactions') this.#write(c, line);
    });
    const prices = setInterval(() => this.#pricesTick(), options.priceIntervalMs);
    const heartbeats = setInterval(() => this.#heartbeatTick(), options.heartbeatIntervalMs);
    prices.unref();
    heartbeats.unref();
    this.#timers.push(prices, heartbeats);
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Serves one stream request on `res` until the client leaves or the stream is dropped. */
  open(kind: StreamKind, res: ServerResponse, instruments: readonly string[], snapshot: boolean): void {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const client: StreamClient = { kind, res, instruments, sent: new Map() };
    this.#clients.add(client);
    res.on('close', () => this.#clients.delete(client));
    if (kind === 'pricing' && snapshot) this.#sendPrices(client, true);
  }

  /** Destroys every stream connection at once; returns how many there were. */
  dropStreams(): number {
    const n = this.#clients.size;
    for (const c of this.#clients) c.res.destroy();
    this.#clients.clear();
    return n;
  }

  /** Writes `text` as one line to every stream (of `kind` only, when given). */
  injectLine(text: string, kind?: StreamKind): number {
    let n = 0;
    for (const c of this.#clients) {
      if (kind !== undefined && c.kind !== kind) continue;
      this.#write(c, text);
      n++;
    }
    return n;
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#unsubscribe();
    this.dropStreams();
  }

  #pricesTick(): void {
    if (this.#state.faults.silentStreams) return;
    for (const c of this.#clients) if (c.kind === 'pricing') this.#sendPrices(c, false);
  }

  #sendPrices(c: StreamClient, all: boolean): void {
    const s = this.#state;
    const now = s.now();
    for (const name of c.instruments) {
      const i = s.instruments.get(name);
      if (i === undefined) continue;
      const sequence = s.engine.book(name, 1).sequence;
      if (!all && c.sent.get(name) === sequence) continue;
      c.sent.set(name, sequence);
      this.#write(c, JSON.stringify(clientPrice(s.engine, i, now, s.halted.has(name))));
    }
  }

  #heartbeatTick(): void {
    if (this.#state.faults.staleHeartbeats) return;
    const time = rfc3339(this.#state.now());
    const pricing = JSON.stringify({ type: 'HEARTBEAT', time });
    const transactions = JSON.stringify({
      type: 'HEARTBEAT',
      lastTransactionID: this.#state.log.lastId,
      time,
    });
    for (const c of this.#clients) this.#write(c, c.kind === 'pricing' ? pricing : transactions);
  }

  #write(c: StreamClient, line: string): void {
    const go = (): void => {
      if (c.res.destroyed || c.res.writableEnded) return;
      c.res.write(`${line}\n`, (error) => {
        if (error) this.#logger.debug({ err: error, stream: c.kind }, 'stream write failed (client gone)');
      });
    };
    const latency = this.#state.faults.latencyMs;
    if (latency > 0) setTimeout(go, latency);
    else go();
  }
}
