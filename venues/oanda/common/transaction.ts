import type { FixedDecimal, Price } from '../../../domain/values/index.ts';

interface TransactionBase {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly type: string;
}

/** MARKET_ORDER / LIMIT_ORDER / STOP_ORDER: an order was created. `units` is signed (negative sells). */
export interface OrderCreateTransaction extends TransactionBase {
  readonly kind: 'create';
  readonly instrument: string;
  readonly units: FixedDecimal;
  readonly timeInForce: string;
  readonly price?: Price;
  readonly priceBound?: Price;
  readonly gtdTime?: number;
  readonly clientOrderId?: string;
}

/** *_ORDER_REJECT: the order was never created. */
export interface OrderRejectTransaction extends TransactionBase {
  readonly kind: 'reject';
  readonly instrument?: string;
  readonly units?: FixedDecimal;
  readonly rejectReason: string;
  readonly clientOrderId?: string;
}

export interface OrderFillTransaction extends TransactionBase {
  readonly kind: 'fill';
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly instrument: string;
  /** Signed: positive for a buy fill. */
  readonly units: FixedDecimal;
  /** `fullVWAP` when present, else the deprecated `price`. */
  readonly price: Price;
  /** In the account's home currency (negative = charged), zero when absent. */
  readonly commission?: FixedDecimal;
  readonly accountBalance?: FixedDecimal;
  readonly reason: string;
}

export interface OrderCancelTransaction extends TransactionBase {
  readonly kind: 'cancel';
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly reason: string;
}

export interface OrderCancelRejectTransaction extends TransactionBase {
  readonly kind: 'cancelReject';
  readonly orderId?: string;
  readonly clientOrderId?: string;
  readonly rejectReason: string;
}

/** Any other transaction type: only its id matters (it advances lastTransactionID). */
export interface OtherTransaction extends TransactionBase {
  readonly kind: 'other';
}

export type OandaTransaction =
  | OrderCreateTransaction
  | OrderRejectTransaction
  | OrderFillTransaction
  | OrderCancelTransaction
  | OrderCancelRejectTransaction
  | OtherTransaction;
