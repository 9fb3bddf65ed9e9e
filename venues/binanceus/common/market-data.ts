import type { Price, Quantity } from '../../../domain/values/index.ts';

/** One price level; a zero quantity in a diff removes the level. */
export interface DepthLevel {
  readonly price: Price;
  readonly quantity: Quantity;
}

/** `GET /api/v3/depth` body. */
export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/** `<symbol>@depth[@100ms]` diff event; quantities are absolute. */
export interface DepthDiff {
  readonly symbol: string;
  readonly eventTime: number;
  /** `U`: first update id in the event. */
  readonly firstUpdateId: number;
  /** `u`: final update id in the event. */
  readonly finalUpdateId: number;
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/** `<symbol>@trade`. */
export interface Trade {
  readonly symbol: string;
  readonly eventTime: number;
  readonly tradeId: number;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly tradeTime: number;
  readonly buyerIsMaker: boolean;
}

/** `<symbol>@aggTrade`. */
export interface AggTrade {
  readonly symbol: string;
  readonly eventTime: number;
  readonly aggTradeId: number;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly firstTradeId: number;
  readonly lastTradeId: number;
  readonly tradeTime: number;
  readonly buyerIsMaker: boolean;
}

/** `<symbol>@bookTicker`. */
export interface BookTicker {
  readonly updateId: number;
  readonly symbol: string;
  readonly bidPrice: Price;
  readonly bidQuantity: Quantity;
  readonly askPrice: Price;
  readonly askQuantity: Quantity;
}

/** A parsed market-data event, tagged by kind. */
export type MarketDataEvent =
  | { readonly kind: 'depthUpdate'; readonly stream: string; readonly event: DepthDiff }
  | { readonly kind: 'trade'; readonly stream: string; readonly event: Trade }
  | { readonly kind: 'aggTrade'; readonly stream: string; readonly event: AggTrade }
  | { readonly kind: 'bookTicker'; readonly stream: string; readonly event: BookTicker };
