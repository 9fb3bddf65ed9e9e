import { InternalError, MarketDataServiceService } from './internal.ts';
import { bookEventOut, bookOut, instrumentInfoOut, tradeOut } from './convert-messages.ts';
import { instrumentIn } from './convert-values.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { Idempotency } from './retry-policy.ts';
import type { Instrument, InstrumentInput, MarketTrade, OrderBook, OrderBookEvent } from './types.ts';

const READ = { authenticated: true, idempotency: Idempotency.IDEMPOTENT } as const;

/** MarketDataService: instruments, L2 books and public trades. */
export class MarketDataApi {
  constructor(private readonly connection: GatewayConnection) {}

  /** Instruments of the connected venues, optionally of one venue ("paper", "binanceus", ...). */
  async listInstruments(venue?: string): Promise<Instrument[]> {
    const response = await this.connection.unary(
      MarketDataServiceService.listInstruments,
      { venue: venue?.toLowerCase() ?? '' },
      READ,
    );
    return response.instruments.map((instrument) => instrumentInfoOut(instrument));
  }

  /** The current L2 book, `depth` levels per side (1 to 1000; default 50). */
  async getOrderBook(instrumentId: InstrumentInput, depth?: number): Promise<OrderBook> {
    const response = await this.connection.unary(
      MarketDataServiceService.getOrderBook,
      { instrumentId: instrumentIn(instrumentId), depth: depth ?? 0 },
      READ,
    );
    if (response.book === undefined) throw new InternalError('GetOrderBook answered without a book');
    return bookOut(response.book);
  }

  /** A snapshot, then updates; after a reconnection the stream starts again with a snapshot. */
  orderBook(
    instrumentId: InstrumentInput,
    depth?: number,
    signal?: AbortSignal,
  ): AsyncGenerator<OrderBookEvent> {
    return this.connection.stream(
      MarketDataServiceService.streamOrderBook,
      { instrumentId: instrumentIn(instrumentId), depth: depth ?? 0 },
      (message) => bookEventOut(message),
      signal,
    );
  }

  /** Public trades from now on (trades while disconnected are not replayed). */
  trades(instrumentId: InstrumentInput, signal?: AbortSignal): AsyncGenerator<MarketTrade> {
    return this.connection.stream(
      MarketDataServiceService.streamTrades,
      { instrumentId: instrumentIn(instrumentId) },
      (message) => {
        if (message.trade === undefined)
          throw new InternalError('StreamTrades sent a message without a trade');
        return tradeOut(message.trade);
      },
      signal,
    );
  }
}
