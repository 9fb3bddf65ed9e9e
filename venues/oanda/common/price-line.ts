import type { Price, Quantity } from '../../../domain/values/index.ts';

/** One level of a ClientPrice: a price and the liquidity (units) available at it. */
export interface OandaPriceLevel {
  readonly price: Price;
  readonly quantity: Quantity;
}

/** A `PRICE` line of the pricing stream (ClientPrice), in domain values. */
export interface OandaPrice {
  readonly instrument: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly tradeable: boolean;
  /** Best first. */
  readonly bids: readonly OandaPriceLevel[];
  readonly asks: readonly OandaPriceLevel[];
  readonly closeoutBid: Price;
  readonly closeoutAsk: Price;
}

/** A line of the pricing or transaction stream that is not a transaction. */
export type OandaPricingLine =
  | { readonly type: 'PRICE'; readonly price: OandaPrice }
  | { readonly type: 'HEARTBEAT'; readonly time: number; readonly lastTransactionId?: string };
