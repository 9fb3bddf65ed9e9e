import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { PaperOrderSide, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PaperFill, PaperOrder } from './paper-order.ts';
import type { RejectReason } from './reject-reason.ts';

/** A request to place an order; never modified by the engine. */
export interface SubmitOrder {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: PaperOrderSide;
  readonly type: PaperOrderType;
  /** MARKET and STOP orders treat GTC like IOC: what does not fill at once expires. */
  readonly timeInForce: PaperTimeInForce;
  /** Required, except for a buy by `quoteQuantity`, where it is omitted or zero. */
  readonly quantity: Quantity;
  /** MARKET or STOP buys only: spend this much quote instead of buying `quantity`. */
  readonly quoteQuantity?: FixedDecimal | undefined;
  /** Required for LIMIT and STOP_LIMIT, refused for the others. */
  readonly price?: Price | undefined;
  /** Required for STOP and STOP_LIMIT, refused for the others. */
  readonly stopPrice?: Price | undefined;
  /** LIMIT GTC only: rejected instead of taking liquidity (Binance LIMIT_MAKER). */
  readonly postOnly?: boolean | undefined;
}

export type SubmitResult =
  | { readonly accepted: true; readonly order: PaperOrder; readonly fills: readonly PaperFill[] }
  | { readonly accepted: false; readonly reason: RejectReason; readonly message: string };

/** Names an order by the engine's id, the client's id, or both (then both must match). */
export interface OrderRef {
  readonly orderId?: string | undefined;
  readonly clientOrderId?: string | undefined;
}

export const CancelRejectReason = {
  UNKNOWN_ORDER: 'UNKNOWN_ORDER',
  ALREADY_CLOSED: 'ALREADY_CLOSED',
} as const;
export type CancelRejectReason = (typeof CancelRejectReason)[keyof typeof CancelRejectReason];

export type CancelResult =
  | { readonly cancelled: true; readonly order: PaperOrder }
  | { readonly cancelled: false; readonly reason: CancelRejectReason; readonly message: string };

/** A price level: price and the total quantity resting there. */
export type BookLevel = readonly [Price, Quantity];

/** An L2 view of one instrument, best levels first. */
export interface BookSnapshot {
  /** The book sequence of the last change included (compare with book events' first/lastSequence). */
  readonly sequence: bigint;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface Balance {
  readonly asset: string;
  readonly free: FixedDecimal;
  readonly locked: FixedDecimal;
}

/** A trade as kept in an instrument's recent-trades window. */
export interface PaperTrade {
  readonly instrumentId: string;
  readonly tradeId: bigint;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly takerSide: PaperOrderSide;
  readonly buyerOrderId: string;
  readonly sellerOrderId: string;
  readonly time: number;
}
