import type { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import type {
  CoinbaseOrderStatus,
  CoinbaseSide,
  LiquidityIndicator,
  StopDirection,
} from '../common/enums.ts';

/** `order_configuration`: exactly one documented shape, with exact decimals. */
export type OrderConfiguration =
  | { readonly kind: 'market_market_ioc'; readonly baseSize: Quantity }
  | { readonly kind: 'market_market_ioc'; readonly quoteSize: FixedDecimal }
  | { readonly kind: 'sor_limit_ioc'; readonly baseSize: Quantity; readonly limitPrice: Price }
  | {
      readonly kind: 'limit_limit_gtc';
      readonly baseSize: Quantity;
      readonly limitPrice: Price;
      readonly postOnly: boolean;
    }
  | {
      readonly kind: 'limit_limit_gtd';
      readonly baseSize: Quantity;
      readonly limitPrice: Price;
      /** Epoch milliseconds (RFC 3339 on the wire). */
      readonly endTime: number;
      readonly postOnly: boolean;
    }
  | { readonly kind: 'limit_limit_fok'; readonly baseSize: Quantity; readonly limitPrice: Price }
  | {
      readonly kind: 'stop_limit_stop_limit_gtc';
      readonly baseSize: Quantity;
      readonly limitPrice: Price;
      readonly stopPrice: Price;
      readonly stopDirection: StopDirection;
    }
  | {
      readonly kind: 'stop_limit_stop_limit_gtd';
      readonly baseSize: Quantity;
      readonly limitPrice: Price;
      readonly stopPrice: Price;
      readonly stopDirection: StopDirection;
      readonly endTime: number;
    };

/** `POST /orders` body. */
export interface CreateOrderRequest {
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: CoinbaseSide;
  readonly configuration: OrderConfiguration;
}

/** The create-order answer: accepted (`success_response`) or refused (`error_response`), both HTTP 200. */
export type CreateOrderResponse =
  | {
      readonly success: true;
      readonly orderId: string;
      readonly productId: string;
      readonly side: CoinbaseSide;
      readonly clientOrderId: string;
    }
  | {
      readonly success: false;
      /** The most specific reason given: new_order_failure_reason, else preview_failure_reason, else error. */
      readonly reason: string;
      readonly error: string;
      readonly message: string;
      readonly errorDetails: string;
      readonly previewFailureReason: string | undefined;
      readonly newOrderFailureReason: string | undefined;
    };

/** An order object of `GET /orders/historical/{id}` and `/orders/historical/batch`. */
export interface CoinbaseOrder {
  readonly orderId: string;
  readonly productId: string;
  readonly clientOrderId: string;
  readonly side: CoinbaseSide;
  readonly status: CoinbaseOrderStatus;
  readonly timeInForce: string;
  /** Undefined for a configuration the connector does not model (it is still reported). */
  readonly configuration: OrderConfiguration | undefined;
  readonly createdTime: number;
  readonly filledSize: Quantity;
  readonly averageFilledPrice: Price | undefined;
  readonly totalFees: FixedDecimal;
  readonly numberOfFills: number;
  readonly orderType: string;
  readonly rejectReason: string;
  readonly rejectMessage: string;
  readonly cancelMessage: string;
  readonly lastFillTime: number | undefined;
}

export interface OrderPage {
  readonly orders: readonly CoinbaseOrder[];
  readonly hasNext: boolean;
  readonly cursor: string;
}

/** One execution from `GET /orders/historical/fills`. */
export interface CoinbaseFill {
  readonly entryId: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly tradeTime: number;
  readonly price: Price;
  readonly size: Quantity;
  readonly commission: FixedDecimal;
  readonly liquidity: LiquidityIndicator;
  readonly side: CoinbaseSide;
}

export interface FillPage {
  readonly fills: readonly CoinbaseFill[];
  readonly cursor: string;
}

/** One entry of `POST /orders/batch_cancel` results. */
export interface CancelResult {
  readonly success: boolean;
  /** A CancelFailureReason value (kept as text: the venue adds values over time). */
  readonly failureReason: string;
  readonly orderId: string;
}

export interface CoinbaseAccount {
  readonly uuid: string;
  readonly currency: string;
  readonly available: FixedDecimal;
  readonly hold: FixedDecimal;
}

export interface AccountPage {
  readonly accounts: readonly CoinbaseAccount[];
  readonly hasNext: boolean;
  readonly cursor: string;
}

export interface PriceBookLevel {
  readonly price: Price;
  readonly size: Quantity;
}

/** `GET /product_book` → `pricebook`. */
export interface PriceBook {
  readonly productId: string;
  readonly bids: readonly PriceBookLevel[];
  readonly asks: readonly PriceBookLevel[];
  readonly time: number;
}
