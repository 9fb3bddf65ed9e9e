import type { FixedDecimal, Price, Quantity } from '../../../domain/values/index.ts';
import type { CoinbaseOrderStatus, CoinbaseSide } from './enums.ts';

/** An order of the `user` channel, with exact decimals. */
export interface UserOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: CoinbaseSide;
  /** `order_type` as sent (e.g. LIMIT, MARKET, STOP_LIMIT; casing varies between venue versions). */
  readonly orderType: string;
  readonly status: CoinbaseOrderStatus;
  readonly timeInForce: string | undefined;
  readonly cumulativeQuantity: Quantity;
  readonly leavesQuantity: Quantity;
  readonly averagePrice: Price | undefined;
  readonly totalFees: FixedDecimal;
  readonly limitPrice: Price | undefined;
  readonly stopPrice: Price | undefined;
  readonly cancelReason: string;
  readonly rejectReason: string;
  readonly creationTime: number;
}

export interface UserEvent {
  readonly type: 'snapshot' | 'update';
  readonly orders: readonly UserOrder[];
}
