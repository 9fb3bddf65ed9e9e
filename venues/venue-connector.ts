// The venue-neutral contract every adapter (binanceus, coinbase, oanda, paper) implements, in domain
// types only. The `venue/<venue>` actor owns one connector; order managers, risk and strategies see
// venues only through this shape, so the same order flow runs unchanged on every venue.
import type {
  ClientOrderId,
  Instrument,
  InstrumentId,
  LiquiditySide,
  Money,
  OrderRequest,
  OrderSide,
  OrderStatus,
  OrderType,
  Price,
  Quantity,
  TimeInForce,
  TradeId,
  VenueId,
  VenueOrderId,
} from '../domain/index.ts';

/** What a venue accepts; an order outside it is rejected before anything is sent. */
export interface VenueCapabilities {
  readonly orderTypes: readonly OrderType[];
  readonly timeInForce: readonly TimeInForce[];
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
}

/** The venue's view of one of our orders, as returned by a query, a cancel or a reconciliation. */
export interface VenueOrderSnapshot {
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly status: OrderStatus;
  readonly quantity: Quantity;
  readonly filledQuantity: Quantity;
  readonly price?: Price;
  readonly stopPrice?: Price;
  /** Epoch milliseconds of the venue's last change to the order. */
  readonly updatedAt: number;
}

/** One execution of one of our orders; `tradeId` is unique per instrument on the venue (dedupe key). */
export interface VenueFill {
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly tradeId: TradeId;
  readonly side: OrderSide;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly fee: Money;
  readonly liquidity: LiquiditySide;
  readonly timestamp: number;
}

/**
 * Outcome of a placement. `accepted`: the venue holds the order (fills may already be known).
 * `rejected`: the venue refused it, with its own reason text; nothing exists on the venue.
 * A placement whose outcome could not be learned (5xx, timeout, lost ack) is not an outcome:
 * the connector resolves it by querying the venue, and throws UnavailableError only when even the
 * query cannot answer, so the caller retries the query, never a blind resend.
 */
export type PlacementResult =
  | {
      readonly kind: 'accepted';
      readonly order: VenueOrderSnapshot;
      readonly fills: readonly VenueFill[];
    }
  | { readonly kind: 'rejected'; readonly clientOrderId: ClientOrderId; readonly reason: string };

/** Events from the venue's private stream, in domain terms. */
export type VenueExecutionEvent =
  | { readonly kind: 'order'; readonly order: VenueOrderSnapshot; readonly reason?: string }
  | { readonly kind: 'fill'; readonly fill: VenueFill }
  /** The private stream reconnected: events may have been missed; reconcile by query. */
  | { readonly kind: 'reconnected'; readonly at: number };

export interface VenueBalance {
  readonly asset: string;
  readonly total: Money;
  readonly available: Money;
  readonly locked: Money;
}

export interface BookLevel {
  readonly price: Price;
  readonly quantity: Quantity;
}

/** A full L2 book; `sequence` is the venue's (or the adapter's) monotonic book version. */
export interface BookSnapshot {
  readonly instrumentId: InstrumentId;
  readonly sequence: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly timestamp: number;
}

/** Absolute level changes; a zero quantity removes the level. */
export interface BookDelta {
  readonly instrumentId: InstrumentId;
  readonly sequence: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly timestamp: number;
}

export interface PublicTrade {
  readonly instrumentId: InstrumentId;
  readonly tradeId: string;
  readonly price: Price;
  readonly quantity: Quantity;
  /** Side of the taker. */
  readonly aggressorSide: OrderSide;
  readonly timestamp: number;
}

export type MarketDataEvent =
  | { readonly kind: 'snapshot'; readonly book: BookSnapshot }
  | { readonly kind: 'delta'; readonly delta: BookDelta }
  | { readonly kind: 'trade'; readonly trade: PublicTrade }
  /** The feed lost continuity (gap, reconnect): the book must be rebuilt from the next snapshot. */
  | { readonly kind: 'stale'; readonly instrumentId: InstrumentId; readonly reason: string };

export interface CallOptions {
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

/** How to name an order to the venue: our client order id always, the venue's id when known. */
export interface VenueOrderRef {
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
}

export type Unsubscribe = () => void;

/**
 * One venue connection. Errors are domain errors (domain/errors.ts): InvalidArgumentError for what
 * the venue refused as malformed, ResourceExhaustedError for rate limits (with retry-after),
 * UnavailableError for outages, UnauthenticatedError for bad credentials.
 */
export interface VenueConnector {
  readonly venue: VenueId;
  readonly capabilities: VenueCapabilities;
  /** Connects streams and loads instruments; resolves when ready to trade. */
  start(): Promise<void>;
  close(): Promise<void>;
  instruments(): readonly Instrument[];
  /** Places `request` at most once per client order id (see PlacementResult). */
  placeOrder(request: OrderRequest, options?: CallOptions): Promise<PlacementResult>;
  cancelOrder(ref: VenueOrderRef, options?: CallOptions): Promise<VenueOrderSnapshot>;
  /** The venue's view of the order, or undefined when the venue has never received it. */
  getOrder(ref: VenueOrderRef, options?: CallOptions): Promise<VenueOrderSnapshot | undefined>;
  openOrders(instrumentId?: InstrumentId, options?: CallOptions): Promise<readonly VenueOrderSnapshot[]>;
  /** Fills of one order, for reconciliation after missed stream events. */
  orderFills(ref: VenueOrderRef, options?: CallOptions): Promise<readonly VenueFill[]>;
  balances(options?: CallOptions): Promise<readonly VenueBalance[]>;
  bookSnapshot(instrumentId: InstrumentId, depth: number, options?: CallOptions): Promise<BookSnapshot>;
  onExecution(listener: (event: VenueExecutionEvent) => void): Unsubscribe;
  /** Starts the instrument's public feed if needed; `snapshot` first, then deltas and trades. */
  subscribeMarketData(instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): Unsubscribe;
}
