import type { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import type {
  BinanceExecutionType,
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceTimeInForce,
} from './enums.ts';

/** `executionReport` with exact decimals; names spelled out from the one-letter wire keys. */
export interface ExecutionReport {
  readonly eventTime: number;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: BinanceOrderSide;
  readonly orderType: BinanceOrderType;
  readonly timeInForce: BinanceTimeInForce;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly stopPrice: Price;
  /** `C`: the original client order id on cancels, "" otherwise. */
  readonly originalClientOrderId: string;
  readonly executionType: BinanceExecutionType;
  readonly orderStatus: BinanceOrderStatus;
  readonly rejectReason: string;
  readonly orderId: number;
  readonly lastFilledQuantity: Quantity;
  readonly cumulativeFilledQuantity: Quantity;
  readonly lastFilledPrice: Price;
  readonly commission: FixedDecimal;
  readonly commissionAsset: string | undefined;
  readonly transactionTime: number;
  /** -1 when the report is not a trade. */
  readonly tradeId: number;
  readonly isOnBook: boolean;
  readonly isMaker: boolean;
  readonly creationTime: number;
  readonly cumulativeQuoteQuantity: FixedDecimal;
  readonly lastQuoteQuantity: FixedDecimal;
}

export interface AccountBalance {
  readonly asset: string;
  readonly free: Quantity;
  readonly locked: Quantity;
}

/** `outboundAccountPosition`: balances of the assets that changed. */
export interface AccountPosition {
  readonly eventTime: number;
  readonly lastUpdateTime: number;
  readonly balances: readonly AccountBalance[];
}

/** `balanceUpdate`: a deposit, withdrawal or transfer. */
export interface BalanceUpdate {
  readonly eventTime: number;
  readonly asset: string;
  readonly delta: FixedDecimal;
  readonly clearTime: number;
}

export type UserDataEvent =
  | { readonly kind: 'executionReport'; readonly event: ExecutionReport }
  | { readonly kind: 'outboundAccountPosition'; readonly event: AccountPosition }
  | { readonly kind: 'balanceUpdate'; readonly event: BalanceUpdate };
