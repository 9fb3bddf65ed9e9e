import type { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import type {
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceTimeInForce,
  NewOrderRespType,
} from '../common/index.ts';

/** `POST /api/v3/order` parameters; decimals are exact values, sent as their text. */
export interface NewOrderRequest {
  readonly symbol: string;
  readonly side: BinanceOrderSide;
  readonly type: BinanceOrderType;
  readonly timeInForce?: BinanceTimeInForce;
  readonly quantity?: Quantity;
  readonly quoteOrderQty?: FixedDecimal;
  readonly price?: Price;
  readonly stopPrice?: Price;
  readonly trailingDelta?: number;
  readonly icebergQty?: Quantity;
  /** Our idempotency key; always set it for orders that matter (placeOrderSafely requires it). */
  readonly newClientOrderId?: string;
  readonly newOrderRespType?: NewOrderRespType;
  readonly selfTradePreventionMode?: string;
}

/** Identifies an order: `orderId` wins over `origClientOrderId` when both are given. */
export interface OrderRef {
  readonly symbol: string;
  readonly orderId?: number;
  readonly origClientOrderId?: string;
}

export interface CancelOrderRequest extends OrderRef {
  readonly newClientOrderId?: string;
  readonly cancelRestrictions?: 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED';
}

/** ACK response (and the common head of all order responses). */
export interface OrderAck {
  readonly symbol: string;
  readonly orderId: number;
  readonly orderListId: number;
  readonly clientOrderId: string;
  readonly transactTime: number | undefined;
}

export interface OrderFill {
  readonly price: Price;
  readonly quantity: Quantity;
  readonly commission: FixedDecimal;
  readonly commissionAsset: string;
  readonly tradeId: number;
}

/** RESULT fields; also the order object of query / openOrders / cancel. */
export interface OrderState extends OrderAck {
  readonly price: Price;
  readonly origQty: Quantity;
  readonly executedQty: Quantity;
  readonly cummulativeQuoteQty: FixedDecimal;
  readonly status: BinanceOrderStatus;
  readonly timeInForce: BinanceTimeInForce;
  readonly type: BinanceOrderType;
  readonly side: BinanceOrderSide;
  readonly stopPrice: Price | undefined;
  readonly time: number | undefined;
  readonly updateTime: number | undefined;
  readonly isWorking: boolean | undefined;
  /** Cancel responses only: the id of the order that was cancelled. */
  readonly origClientOrderId: string | undefined;
}

/** The answer to a new order: the ACK head, plus state for RESULT/FULL, plus fills for FULL. */
export interface NewOrderResponse {
  readonly ack: OrderAck;
  readonly state: OrderState | undefined;
  readonly fills: readonly OrderFill[] | undefined;
}

export interface AccountInfo {
  readonly canTrade: boolean;
  readonly accountType: string;
  readonly updateTime: number;
  readonly balances: ReadonlyArray<{
    readonly asset: string;
    readonly free: Quantity;
    readonly locked: Quantity;
  }>;
}

/** One of our executions from `GET /api/v3/myTrades`. */
export interface AccountTrade {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly commission: FixedDecimal;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
}
