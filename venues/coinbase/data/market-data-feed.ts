import { formatInstrumentId } from '../../../domain/identifiers/index.ts';
import type { InstrumentId } from '../../../domain/identifiers/index.ts';
import type { Logger } from '../../../observability/index.ts';
import type { MarketDataEvent, Unsubscribe } from '../../venue-connector.ts';
import type { CoinbaseConfig } from '../config.ts';
import type { CoinbaseCredentials } from '../common/credentials.ts';
import { Channel } from '../common/enums.ts';
import type { CoinbaseMessage, L2Event } from '../common/market-data.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import { ChannelSocket } from '../websocket/channel-socket.ts';
import { splitLevels, toPublicTrade } from './book-events.ts';

export interface MarketDataFeedOptions {
  readonly config: CoinbaseConfig;
  readonly credentials: CoinbaseCredentials | undefined;
  readonly logger: Logger;
  readonly metrics: CoinbaseMetrics;
}

interface ProductState {
  readonly instrumentId: InstrumentId;
  readonly listeners: Set<(event: MarketDataEvent) => void>;
  /** Book version of the adapter: +1 per l2 event applied. */
  sequence: number;
  /** True until the next snapshot: updates are dropped (the book is being rebuilt). */
  awaitingSnapshot: boolean;
}

/**
 * Public market data of any number of products over one connection: `level2` (as `l2_data` snapshot,
 * then updates) and `market_trades`, in domain events. A `sequence_num` gap or a dropped connection
 * marks every book stale and asks for fresh snapshots (resubscribe, or the reconnect's subscribe).
 */
export class MarketDataFeed {
  readonly socket: ChannelSocket;
  readonly #products = new Map<string, ProductState>();
  readonly #logger: Logger;

  constructor(options: MarketDataFeedOptions) {
    this.#logger = options.logger.child({ component: 'coinbase-market-data' });
    this.socket = new ChannelSocket({
      name: 'market',
      url: options.config.urls.wsMarket,
      config: options.config,
      credentials: options.credentials,
      authenticated: false,
      logger: options.logger,
      metrics: options.metrics,
      onMessage: (message) => this.#onMessage(message),
      onGap: () => this.#onGap(),
      onDrop: (reason) => this.#markStale(`connection dropped: ${reason}`),
    });
  }

  /** Starts the product's feed if needed: a snapshot first, then deltas and trades. */
  subscribe(productId: string, listener: (event: MarketDataEvent) => void): Unsubscribe {
    let state = this.#products.get(productId);
    if (state === undefined) {
      state = {
        instrumentId: formatInstrumentId(productId, 'coinbase'),
        listeners: new Set(),
        sequence: 0,
        awaitingSnapshot: true,
      };
      this.#products.set(productId, state);
      this.socket.subscribe(Channel.LEVEL2, [productId]);
      this.socket.subscribe(Channel.MARKET_TRADES, [productId]);
    } else if (!state.awaitingSnapshot) {
      // A late listener needs a book: ask the venue for a fresh snapshot for everyone.
      state.awaitingSnapshot = true;
      void this.socket.resubscribe(Channel.LEVEL2, [productId], 'new-listener');
    }
    state.listeners.add(listener);
    const s = state;
    return () => {
      s.listeners.delete(listener);
      if (s.listeners.size > 0) return;
      this.#products.delete(productId);
      this.socket.unsubscribe(Channel.LEVEL2, [productId]);
      this.socket.unsubscribe(Channel.MARKET_TRADES, [productId]);
    };
  }

  async close(): Promise<void> {
    await this.socket.close();
  }

  #emit(state: ProductState, event: MarketDataEvent): void {
    for (const listener of state.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error(
          { err: error, instrumentId: state.instrumentId, kind: event.kind },
          'market-data listener failed',
        );
      }
    }
  }

  #onMessage(message: CoinbaseMessage): void {
    if (message.channel === 'l2_data') {
      for (const event of message.events) this.#onL2(event, message.timestamp);
    } else if (message.channel === 'market_trades') {
      for (const event of message.events) {
        // The first message after subscribing replays recent trades; only live ones are events.
        if (event.type !== 'update') continue;
        for (const trade of event.trades) {
          const state = this.#products.get(trade.productId);
          if (state !== undefined)
            this.#emit(state, { kind: 'trade', trade: toPublicTrade(state.instrumentId, trade) });
        }
      }
    }
  }

  #onL2(event: L2Event, timestamp: number): void {
    const state = this.#products.get(event.productId);
    if (state === undefined) return;
    const { bids, asks } = splitLevels(event.updates);
    if (event.type === 'snapshot') {
      state.awaitingSnapshot = false;
      state.sequence += 1;
      this.#emit(state, {
        kind: 'snapshot',
        book: { instrumentId: state.instrumentId, sequence: state.sequence, bids, asks, timestamp },
      });
      return;
    }
    if (state.awaitingSnapshot) return;
    state.sequence += 1;
    this.#emit(state, {
      kind: 'delta',
      delta: { instrumentId: state.instrumentId, sequence: state.sequence, bids, asks, timestamp },
    });
  }

  #markStale(reason: string): void {
    for (const state of this.#products.values()) {
      if (state.awaitingSnapshot) continue;
      state.awaitingSnapshot = true;
      this.#emit(state, { kind: 'stale', instrumentId: state.instrumentId, reason });
    }
  }

  #onGap(): void {
    this.#markStale('sequence_num gap');
    const products = [...this.#products.keys()];
    if (products.length === 0) return;
    this.socket.resubscribe(Channel.LEVEL2, products, 'gap').catch((error: unknown) => {
      this.#logger.error({ err: error }, 'resubscribe after a gap failed; recycling the connection');
      this.socket.recycle('resubscribe failed');
    });
  }
}
