import type { Logger } from '../../../observability/index.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { MarketDataEvent } from '../common/market-data.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import type { BinanceUsRestClient } from '../http/rest-client.ts';
import { MarketDataClient } from '../websocket/market-data-client.ts';
import { streamName } from '../websocket/messages.ts';
import { DepthSynchronizer, SyncOutcome } from './depth-synchronizer.ts';

export interface MarketDataFeedOptions {
  readonly config: BinanceUsConfig;
  readonly rest: BinanceUsRestClient;
  readonly logger: Logger;
  readonly metrics: BinanceUsMetrics;
  readonly symbols: readonly string[];
  /** Depth snapshot size (the documented procedure uses 1000). */
  readonly snapshotLimit?: number;
  /** Every event, after any depth event has been applied to its book. */
  readonly onEvent?: (event: MarketDataEvent, synchronizer: DepthSynchronizer | undefined) => void;
  /** A book became usable (after a snapshot) or stopped being usable. */
  readonly onBookState?: (symbol: string, synced: boolean) => void;
}

/**
 * Local order books for a set of symbols kept by the documented procedure over one combined-streams
 * connection (`<s>@depth@100ms`, `<s>@trade`, `<s>@bookTicker`): buffer, snapshot, chain; a gap or a
 * reconnect discards the book and resyncs from a new snapshot.
 */
export class MarketDataFeed {
  readonly client: MarketDataClient;
  readonly #o: MarketDataFeedOptions;
  readonly #logger: Logger;
  readonly #books = new Map<string, DepthSynchronizer>();
  readonly #resyncing = new Set<string>();
  #closed = false;

  constructor(options: MarketDataFeedOptions) {
    this.#o = options;
    this.#logger = options.logger.child({ component: 'binanceus-market-data' });
    for (const symbol of options.symbols)
      this.#books.set(symbol.toUpperCase(), new DepthSynchronizer(symbol.toUpperCase()));
    this.client = new MarketDataClient({
      config: options.config,
      logger: options.logger,
      metrics: options.metrics,
      onEvent: (event) => this.#onEvent(event),
      onConnected: () => {
        for (const symbol of this.#books.keys()) void this.#resync(symbol, 'connected');
      },
      onDisconnected: () => {
        for (const [symbol, sync] of this.#books) {
          sync.restart();
          options.onBookState?.(symbol, false);
        }
      },
    });
  }

  start(): void {
    const streams = [...this.#books.keys()].flatMap((s) => [
      streamName(s, 'depth@100ms'),
      streamName(s, 'trade'),
      streamName(s, 'bookTicker'),
    ]);
    this.client.subscribe(streams);
  }

  synchronizer(symbol: string): DepthSynchronizer | undefined {
    return this.#books.get(symbol.toUpperCase());
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.client.close();
  }

  #onEvent(event: MarketDataEvent): void {
    if (event.kind !== 'depthUpdate') {
      this.#o.onEvent?.(event, undefined);
      return;
    }
    const symbol = event.event.symbol;
    const sync = this.#books.get(symbol);
    if (sync === undefined) return;
    let outcome: SyncOutcome;
    try {
      outcome = sync.onDiff(event.event);
    } catch (error) {
      // A level the book cannot hold exactly: the book is untouched but now behind, so resync.
      this.#o.metrics.malformedPayloads.inc({ kind: 'depthLevel' });
      this.#logger.warn({ symbol, err: error, event: event.event }, 'depth event not applicable; resyncing');
      sync.restart();
      this.#o.onBookState?.(symbol, false);
      void this.#resync(symbol, 'bad-level');
      return;
    }
    if (outcome === SyncOutcome.GAP) {
      this.#logger.warn(
        { symbol, U: event.event.firstUpdateId, u: event.event.finalUpdateId },
        'sequence gap in diff depth; discarding the book and resyncing',
      );
      this.#o.onBookState?.(symbol, false);
      void this.#resync(symbol, 'gap');
    }
    this.#o.onEvent?.(event, sync);
  }

  async #resync(symbol: string, reason: string): Promise<void> {
    if (this.#resyncing.has(symbol) || this.#closed) return;
    this.#resyncing.add(symbol);
    this.#o.metrics.bookResyncs.inc({ symbol, reason });
    try {
      for (let attempt = 1; !this.#closed; attempt++) {
        const sync = this.#books.get(symbol);
        if (sync === undefined) return;
        try {
          const snapshot = await this.#o.rest.depth(symbol, this.#o.snapshotLimit ?? 1000);
          const outcome = sync.onSnapshot(snapshot);
          if (outcome === SyncOutcome.SYNCED) {
            this.#o.onBookState?.(symbol, true);
            return;
          }
          this.#logger.info({ symbol, outcome, attempt }, 'snapshot not usable yet; fetching another');
        } catch (error) {
          this.#logger.warn({ symbol, err: error, attempt }, 'depth snapshot failed; retrying');
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * attempt)));
      }
    } finally {
      this.#resyncing.delete(symbol);
    }
  }
}
