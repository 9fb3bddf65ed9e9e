import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type {
  PaperLiquidity,
  PaperOrderSide,
  PaperOrderStatus,
  PaperOrderType,
  PaperTimeInForce,
} from './order-enums.ts';

/**
 * An order as the paper venue reports it: a snapshot taken when it was returned or emitted. Fields are
 * readonly and never change afterwards (not frozen, for the same cost reason as domain/values).
 */
export interface PaperOrder {
  /** Assigned by the engine: a decimal integer, increasing in submission order across the engine. */
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: PaperOrderSide;
  readonly type: PaperOrderType;
  readonly timeInForce: PaperTimeInForce;
  /** The limit price as submitted (LIMIT, STOP_LIMIT). */
  readonly price?: Price | undefined;
  readonly stopPrice?: Price | undefined;
  /**
   * The quantity ordered. For a market buy by quote amount it is the quantity bought so far, so
   * `filledQuantity ≤ quantity` holds for every order.
   */
  readonly quantity: Quantity;
  /** The quote amount to spend, for a market (or stop) buy by quote amount. */
  readonly quoteQuantity?: FixedDecimal | undefined;
  readonly filledQuantity: Quantity;
  /** Σ price × quantity over the fills, exact, at tick precision + step precision. */
  readonly cumulativeQuote: FixedDecimal;
  readonly status: PaperOrderStatus;
  /** Engine clock, milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly postOnly: boolean;
  /** For STOP and STOP_LIMIT: whether the stop has triggered; always true for the other types. */
  readonly triggered: boolean;
}

/** One execution of one order. Both sides of a trade get a fill with the same `tradeId`. */
export interface PaperFill {
  readonly tradeId: bigint;
  readonly orderId: string;
  readonly price: Price;
  readonly quantity: Quantity;
  /** Charged in the asset received (base for a buy, quote for a sell), at that asset's ledger precision. */
  readonly fee: FixedDecimal;
  readonly feeAsset: string;
  readonly liquidity: PaperLiquidity;
  readonly time: number;
}
