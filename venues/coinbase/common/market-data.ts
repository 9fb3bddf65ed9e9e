import type { Price, Quantity } from '../../../domain/values/index.ts';
import type { CoinbaseSide } from './enums.ts';
import type { UserEvent } from './user-data.ts';

/** One level change of `l2_data`: `quantity` is the new absolute size, zero removes the level. */
export interface L2Update {
  readonly side: 'bid' | 'offer';
  readonly price: Price;
  readonly quantity: Quantity;
  /** Epoch milliseconds. */
  readonly eventTime: number;
}

/** One `l2_data` event; the first per product after subscribing is a full `snapshot`. */
export interface L2Event {
  readonly type: 'snapshot' | 'update';
  readonly productId: string;
  readonly updates: readonly L2Update[];
}

export interface MarketTrade {
  readonly tradeId: string;
  readonly productId: string;
  readonly price: Price;
  readonly size: Quantity;
  /** As sent; see docs/coinbase.md on whose side it is. */
  readonly side: CoinbaseSide;
  readonly time: number;
}

export interface TradesEvent {
  readonly type: 'snapshot' | 'update';
  readonly trades: readonly MarketTrade[];
}

export interface Ticker {
  readonly productId: string;
  readonly price: Price;
  readonly bestBid: Price | undefined;
  readonly bestAsk: Price | undefined;
  readonly bestBidQuantity: Quantity | undefined;
  readonly bestAskQuantity: Quantity | undefined;
}

export interface TickerEvent {
  readonly type: 'snapshot' | 'update';
  readonly tickers: readonly Ticker[];
}

export interface Heartbeat {
  readonly counter: number;
  /** Kept as sent (a Go time string, not RFC 3339). */
  readonly currentTime: string;
}

/** The `subscriptions` ack: channel → product ids (or user ids on the user channel). */
export type Subscriptions = Readonly<Record<string, readonly string[]>>;

interface Envelope {
  /** Connection-wide message counter: 0, 1, 2, … across every channel of the connection. */
  readonly sequence: number;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** One WebSocket message, tagged by the channel it arrived on. */
export type CoinbaseMessage =
  | (Envelope & { readonly channel: 'l2_data'; readonly events: readonly L2Event[] })
  | (Envelope & { readonly channel: 'market_trades'; readonly events: readonly TradesEvent[] })
  | (Envelope & { readonly channel: 'ticker'; readonly events: readonly TickerEvent[] })
  | (Envelope & { readonly channel: 'heartbeats'; readonly events: readonly Heartbeat[] })
  | (Envelope & { readonly channel: 'subscriptions'; readonly events: readonly Subscriptions[] })
  | (Envelope & { readonly channel: 'user'; readonly events: readonly UserEvent[] })
  | (Envelope & { readonly channel: 'other'; readonly name: string })
  /** `{"type":"error","message":…}`: a refused subscription or authentication failure. */
  | { readonly channel: 'error'; readonly message: string };
