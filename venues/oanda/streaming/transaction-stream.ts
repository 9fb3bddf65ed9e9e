import { compareIds } from '../common/parse-fields.ts';
import { parsePricingLineValue } from '../common/parse-price.ts';
import { parseTransaction } from '../common/parse-transaction.ts';
import type { OandaTransaction } from '../common/transaction.ts';
import { trimSlash } from '../common/urls.ts';
import type { OandaRestClient } from '../http/rest-client.ts';
import { ChunkedLineStream } from './chunked-stream.ts';
import type { LineKind } from './chunked-stream.ts';
import { reportMalformed, streamHeaders } from './stream-context.ts';
import type { OandaStreamContext } from './stream-context.ts';

/**
 * The transaction stream (GET {stream}/v3/accounts/{id}/transactions/stream) with resume: it keeps the
 * last transaction id delivered and, on every (re)connect, replays what it missed through
 * transactions/sinceid before reading the new connection (whose lines wait meanwhile), skipping ids
 * already delivered. A heartbeat whose lastTransactionID is ahead of ours triggers the same replay.
 * Listeners see each transaction once, in id order.
 */
export class OandaTransactionStream {
  readonly #context: OandaStreamContext;
  readonly #client: OandaRestClient;
  readonly #stream: ChunkedLineStream;
  readonly #listener: (t: OandaTransaction) => void;
  #lastId: string;
  #replaying: Promise<void> | undefined;
  readonly #held: string[] = [];
  #connections = 0;

  constructor(
    context: OandaStreamContext,
    client: OandaRestClient,
    lastTransactionId: string,
    listener: (t: OandaTransaction) => void,
    /** Called after each reconnect, once the missed transactions have been delivered. */
    onReconnect: (reason: string) => void = () => undefined,
  ) {
    this.#context = context;
    this.#client = client;
    this.#lastId = lastTransactionId;
    this.#listener = listener;
    this.#stream = new ChunkedLineStream({
      name: 'transactions',
      url: () =>
        `${trimSlash(context.config.urls.stream)}/v3/accounts/${context.credentials.accountId}/transactions/stream`,
      headers: () => streamHeaders(context),
      connections: context.connections,
      heartbeatTimeoutMs: context.config.heartbeatTimeoutMs,
      reconnectInitialMs: context.config.reconnectInitialMs,
      reconnectMaxMs: context.config.reconnectMaxMs,
      logger: context.logger,
      metrics: context.metrics,
      onLine: (line) => this.#line(line),
      onConnected: async () => {
        await this.#replay('connected');
        if (this.#connections++ > 0) onReconnect('reconnected');
      },
    });
  }

  /** The id of the last transaction delivered to the listener. */
  get lastTransactionId(): string {
    return this.#lastId;
  }

  get connected(): boolean {
    return this.#stream.connected;
  }

  start(): Promise<void> {
    return this.#stream.start();
  }

  close(): Promise<void> {
    return this.#stream.close();
  }

  /** Delivers a transaction unless its id is at or below the last one delivered. */
  #deliver(t: OandaTransaction): boolean {
    if (compareIds(t.id, this.#lastId) <= 0) return false;
    this.#lastId = t.id;
    this.#context.metrics.lastTransactionId.set(Number(t.id));
    this.#listener(t);
    return true;
  }

  #replay(why: string): Promise<void> {
    this.#replaying ??= this.#fetchMissed(why).finally(() => {
      this.#replaying = undefined;
      const held = this.#held.splice(0);
      for (const line of held) this.#line(line);
    });
    return this.#replaying;
  }

  async #fetchMissed(why: string): Promise<void> {
    const from = this.#lastId;
    const { transactions } = await this.#client.transactionsSince(from);
    let replayed = 0;
    for (const t of transactions) if (this.#deliver(t)) replayed++;
    this.#context.metrics.replayedTransactions.inc(replayed);
    if (replayed > 0) {
      this.#context.logger.info(
        { why, from, replayed, lastTransactionId: this.#lastId },
        'replayed missed OANDA transactions',
      );
    }
  }

  #line(line: string): LineKind {
    if (this.#replaying !== undefined) {
      this.#held.push(line);
      return 'data';
    }
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'HEARTBEAT') {
        const heartbeat = parsePricingLineValue(value);
        this.#context.metrics.streamLines.inc({ stream: 'transactions', type: 'HEARTBEAT' });
        const venueLast = heartbeat.type === 'HEARTBEAT' ? heartbeat.lastTransactionId : undefined;
        if (venueLast !== undefined && compareIds(venueLast, this.#lastId) > 0) {
          this.#replay('heartbeat ahead').catch((error: unknown) =>
            this.#context.logger.warn(
              { err: error },
              'replay after heartbeat failed; the next reconnect retries it',
            ),
          );
        }
        return 'heartbeat';
      }
      const t = parseTransaction(value);
      this.#context.metrics.streamLines.inc({ stream: 'transactions', type: t.kind });
      this.#deliver(t);
      return 'data';
    } catch (error) {
      reportMalformed(this.#context, 'transactions', line, error);
      return 'malformed';
    }
  }
}
