import { InternalError } from '../../../domain/errors.ts';
import { OrderSide } from '../../../domain/index.ts';
import type { InstrumentId } from '../../../domain/index.ts';
import type { Logger } from '../../../observability/index.ts';
import type { BookSnapshot, MarketDataEvent as VenueMarketDataEvent } from '../../venue-connector.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { MarketDataEvent } from '../common/market-data.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import type { BinanceUsRestClient } from '../http/rest-client.ts';
import type { DepthSynchronizer } from './depth-synchronizer.ts';
import { MarketDataFeed } from './market-data-feed.ts';

export interface InstrumentMarketDataOptions {
  readonly instrumentId: InstrumentId;
  readonly symbol: string;
  readonly config: BinanceUsConfig;
  readonly rest: BinanceUsRestClient;
  readonly logger: Logger;
  readonly metrics: BinanceUsMetrics;
  /** Levels per side in the snapshot handed to listeners (the REST snapshot holds up to 1000). */
  readonly snapshotDepth?: number;
}

type Listener = (event: VenueMarketDataEvent) => void;

/**
 * The public feed of one instrument in domain terms, over the documented local-book procedure
 * (MarketDataFeed): once the book is synced every listener gets a `snapshot`, then each applied diff
 * as a `delta` and each trade; a gap, a reconnect or an unusable level gives `stale`, and the next
 * sync a fresh `snapshot`. A listener that joins a synced book gets the current book at once.
 */
export class InstrumentMarketData {
  readonly #o: InstrumentMarketDataOptions;
  readonly #feed: MarketDataFeed;
  readonly #listeners = new Set<Listener>();
  readonly #logger: Logger;
  readonly #sync: DepthSynchronizer;
  #synced = false;
  #lastSequence = 0;

  constructor(options: InstrumentMarketDataOptions) {
    this.#o = options;
    this.#logger = options.logger.child({ component: 'binanceus-instrument-feed', symbol: options.symbol });
    this.#feed = new MarketDataFeed({
      config: options.config,
      rest: options.rest,
      logger: options.logger,
      metrics: options.metrics,
      symbols: [options.symbol],
      onEvent: (event, sync) => this.#onEvent(event, sync),
      onBookState: (_symbol, synced) => this.#onBookState(synced),
    });
    const sync = this.#feed.synchronizer(options.symbol);
    if (sync === undefined) throw new InternalError(`no local book for ${options.symbol}`);
    this.#sync = sync;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  start(): void {
    this.#feed.start();
  }

  add(listener: Listener): void {
    this.#listeners.add(listener);
    if (this.#synced) this.#deliver(listener, { kind: 'snapshot', book: this.#snapshot() });
  }

  remove(listener: Listener): void {
    this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return this.#feed.close();
  }

  #onBookState(synced: boolean): void {
    if (!synced) {
      this.#markStale('the venue feed lost continuity (gap, reconnect or unusable level)');
      return;
    }
    this.#synced = true;
    const book = this.#snapshot();
    this.#lastSequence = book.sequence;
    this.#emit({ kind: 'snapshot', book });
  }

  #markStale(reason: string): void {
    if (!this.#synced) return;
    this.#synced = false;
    this.#emit({ kind: 'stale', instrumentId: this.#o.instrumentId, reason });
  }

  #onEvent(event: MarketDataEvent, sync: DepthSynchronizer | undefined): void {
    if (event.kind === 'trade') {
      const t = event.event;
      this.#emit({
        kind: 'trade',
        trade: {
          instrumentId: this.#o.instrumentId,
          tradeId: String(t.tradeId),
          price: t.price,
          quantity: t.quantity,
          aggressorSide: t.buyerIsMaker ? OrderSide.SELL : OrderSide.BUY,
          timestamp: t.tradeTime,
        },
      });
      return;
    }
    if (event.kind !== 'depthUpdate' || sync === undefined || !this.#synced) return;
    if (!sync.synced) {
      this.#markStale('the local book was discarded');
      return;
    }
    const diff = event.event;
    // Applied iff the book now stands at this event's final id; an ignored (older) event is not passed on.
    if (sync.book.lastUpdateId !== diff.finalUpdateId || diff.finalUpdateId <= this.#lastSequence) return;
    this.#lastSequence = diff.finalUpdateId;
    this.#emit({
      kind: 'delta',
      delta: {
        instrumentId: this.#o.instrumentId,
        sequence: diff.finalUpdateId,
        bids: diff.bids,
        asks: diff.asks,
        timestamp: diff.eventTime,
      },
    });
  }

  #snapshot(): BookSnapshot {
    const levels = this.#sync.book.depth(this.#o.snapshotDepth ?? 1000);
    return {
      instrumentId: this.#o.instrumentId,
      sequence: this.#sync.book.lastUpdateId,
      bids: levels.bids,
      asks: levels.asks,
      timestamp: Date.now(),
    };
  }

  #emit(event: VenueMarketDataEvent): void {
    for (const listener of this.#listeners) this.#deliver(listener, event);
  }

  #deliver(listener: Listener, event: VenueMarketDataEvent): void {
    try {
      listener(event);
    } catch (error) {
      // One failing listener must not starve the others or break the feed.
      this.#logger.error({ err: error, kind: event.kind }, 'market data listener threw');
    }
  }
}
