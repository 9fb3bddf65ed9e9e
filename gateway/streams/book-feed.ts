import { L2Book } from '../../actors/book/index.ts';
import type { BookUpdate } from '../../actors/book/index.ts';
import { fromBookWire } from '../../actors/venue/venue-wire.ts';
import { isNinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import type { InstrumentId } from '../../proto/gen/ninja/v1/instrument.ts';
import type { StreamOrderBookResponse, StreamTradesResponse } from '../../proto/gen/ninja/v1/market_data.ts';
import type { ClientStream } from './client-stream.ts';
import { orderBookMessage, tradeMessage } from './market-data-proto.ts';

/** A book stream client: its levels per side in snapshots, and whether it has had its snapshot. */
export interface BookClient {
  readonly stream: ClientStream<StreamOrderBookResponse>;
  readonly depth: number;
  started: boolean;
}

/**
 * What one gateway node knows of one book: a copy of the L2 book (to give late or slow clients a
 * snapshot without asking the book actor) and the client streams it serves. Every update becomes
 * ONE proto message shared by all clients (the transports cache its encoding per message).
 */
export class BookFeed {
  private readonly book = new L2Book();
  private synced = false;
  readonly bookClients = new Set<BookClient>();
  readonly tradeClients = new Set<ClientStream<StreamTradesResponse>>();

  constructor(
    readonly identity: string,
    private readonly instrumentId: InstrumentId,
    private readonly logger: Logger,
  ) {}

  get clients(): number {
    return this.bookClients.size + this.tradeClients.size;
  }

  addBookClient(client: BookClient): void {
    this.bookClients.add(client);
    if (this.synced) {
      client.started = true;
      client.stream.push({ snapshot: this.snapshot(client.depth) });
    }
  }

  /** The current book at `depth` levels per side, or undefined while the feed has none. */
  snapshotFor(client: BookClient): StreamOrderBookResponse | undefined {
    if (!this.synced) {
      client.started = false;
      return undefined;
    }
    return { snapshot: this.snapshot(client.depth) };
  }

  /** One update from the book actor, fanned out to the clients. */
  onUpdate(update: BookUpdate['update']): void {
    try {
      this.apply(update);
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      // The book actor validated it already: a failure here means the feed's copy is wrong.
      this.logger.error(
        { err: error, book: this.identity },
        'book update not usable; waiting for a snapshot',
      );
      this.synced = false;
      this.book.clear();
    }
  }

  private apply(update: BookUpdate['update']): void {
    switch (update.kind) {
      case 'snapshot': {
        this.book.reset(fromBookWire(update.book, 'book'));
        this.synced = true;
        const byDepth = new Map<number, StreamOrderBookResponse>();
        for (const client of this.bookClients) {
          let message = byDepth.get(client.depth);
          if (message === undefined) {
            message = { snapshot: this.snapshot(client.depth) };
            byDepth.set(client.depth, message);
          }
          client.started = true;
          client.stream.push(message);
        }
        return;
      }
      case 'delta': {
        if (!this.synced) return;
        this.book.apply(fromBookWire(update.delta, 'delta'));
        const message: StreamOrderBookResponse = {
          update: orderBookMessage(this.instrumentId, update.delta),
        };
        for (const client of this.bookClients) if (client.started) client.stream.push(message);
        return;
      }
      case 'stale':
        // Clients keep what they have; the next snapshot replaces their book.
        this.synced = false;
        this.book.clear();
        return;
      case 'trade': {
        const message: StreamTradesResponse = { trade: tradeMessage(this.instrumentId, update.trade) };
        for (const client of this.tradeClients) client.push(message);
        return;
      }
      case 'top':
        return;
    }
  }

  private snapshot(depth: number) {
    return orderBookMessage(this.instrumentId, {
      bids: this.book.bids.top(depth),
      asks: this.book.asks.top(depth),
      sequence: this.book.sequence,
      timestamp: this.book.timestamp,
    });
  }
}
