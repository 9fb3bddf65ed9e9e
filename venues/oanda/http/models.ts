import type { Money } from '../../../domain/values/index.ts';
import type {
  OrderCancelTransaction,
  OrderCreateTransaction,
  OrderFillTransaction,
  OrderRejectTransaction,
} from '../common/transaction.ts';

/** The body of an order-create request, already in wire text (see order-request.ts). */
export interface OandaOrderSpec {
  readonly type: 'MARKET' | 'LIMIT' | 'STOP';
  readonly instrument: string;
  /** Signed decimal text: positive buys, negative sells. */
  readonly units: string;
  readonly timeInForce: string;
  readonly price?: string;
  readonly priceBound?: string;
  /** RFC3339, for GTD. */
  readonly gtdTime?: string;
  readonly positionFill?: 'DEFAULT' | 'OPEN_ONLY' | 'REDUCE_FIRST' | 'REDUCE_ONLY';
  /** Our client order id, sent as clientExtensions.id. */
  readonly clientOrderId: string;
}

/**
 * What an order creation produced: 201 with the create transaction (and a fill and/or cancel when it
 * executed or was cancelled at once), or 400/404 with the reject transaction.
 */
export interface OandaOrderCreateResult {
  readonly create?: OrderCreateTransaction;
  readonly fill?: OrderFillTransaction;
  readonly cancel?: OrderCancelTransaction;
  readonly reject?: OrderRejectTransaction;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly lastTransactionId: string;
}

/** GET .../summary, the fields the connector maps to balances. */
export interface OandaAccountSummary {
  readonly currency: string;
  readonly balance: Money;
  readonly nav: Money;
  readonly unrealizedPL: Money;
  readonly marginUsed: Money;
  readonly marginAvailable: Money;
  readonly openPositionCount: number;
  readonly lastTransactionId: string;
}
