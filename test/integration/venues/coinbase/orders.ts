import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
} from '../../../../domain/identifiers/index.ts';
import type { InstrumentId } from '../../../../domain/identifiers/index.ts';
import type { OrderRequest, OrderSide, OrderType, TimeInForce } from '../../../../domain/orders/index.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';

export const BTC_USD: InstrumentId = parseInstrumentId('BTC-USD.COINBASE');

let n = 0;

/** A domain order request with a fresh client order id (test data only). */
export function orderRequest(o: {
  side: OrderSide;
  type: OrderType;
  quantity: string;
  price?: string;
  stopPrice?: string;
  timeInForce?: TimeInForce;
  postOnly?: boolean;
  expireAt?: number;
  clientOrderId?: string;
}): OrderRequest {
  n += 1;
  return {
    id: parseOrderId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    clientOrderId: parseClientOrderId(o.clientOrderId ?? `cb-test-${process.pid}-${n}`),
    accountId: parseAccountId('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'),
    instrumentId: BTC_USD,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce ?? 'GTC',
    quantity: Quantity.parse(o.quantity),
    ...(o.price !== undefined ? { price: Price.parse(o.price) } : {}),
    ...(o.stopPrice !== undefined ? { stopPrice: Price.parse(o.stopPrice) } : {}),
    ...(o.postOnly !== undefined ? { postOnly: o.postOnly } : {}),
    ...(o.expireAt !== undefined ? { expireAt: o.expireAt } : {}),
    createdAt: Date.now(),
  };
}
