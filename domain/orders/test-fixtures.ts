import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
  parseTradeId,
  parseVenueOrderId,
} from '../identifiers/index.ts';
import { Money, Price, Quantity } from '../values/index.ts';
import type { Order, OrderRequest } from './order.ts';
import { createOrder } from './order.ts';
import { OrderEvent } from './order-events.ts';
import type { OrderFilled } from './order-events.ts';

// Shared by the order tests; not exported from the folder.

export const CLIENT_ORDER_ID = parseClientOrderId('ng-test-1');
export const VENUE_ORDER_ID = parseVenueOrderId('8923');
export const T0 = 1_700_000_000_000;

/** Changes to the default request; `undefined` removes a field (e.g. the price of a market order). */
export type OrderRequestChanges = { readonly [K in keyof OrderRequest]?: OrderRequest[K] | undefined };

export function limitOrderRequest(changes: OrderRequestChanges = {}): OrderRequest {
  const merged: Record<string, unknown> = {
    id: parseOrderId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    clientOrderId: CLIENT_ORDER_ID,
    accountId: parseAccountId('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'),
    instrumentId: parseInstrumentId('BTC-USD.COINBASE'),
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse('1.00'),
    price: Price.parse('100.00'),
    createdAt: T0,
    ...changes,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as unknown as OrderRequest;
}

export function limitOrder(changes: OrderRequestChanges = {}): Order {
  return createOrder(limitOrderRequest(changes));
}

export function fill(
  tradeId: string,
  quantity: string,
  price = '100.00',
  extra: Partial<Pick<OrderFilled, 'venueOrderId' | 'fee' | 'timestamp'>> = {},
): OrderFilled {
  return OrderEvent.filled({
    clientOrderId: CLIENT_ORDER_ID,
    timestamp: T0 + 10,
    tradeId: parseTradeId(tradeId),
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
    fee: Money.parse('0.01', 'USD'),
    liquidity: 'TAKER',
    ...extra,
  });
}

const at = { clientOrderId: CLIENT_ORDER_ID, timestamp: T0 + 1 };
export const submitted = OrderEvent.submitted(at);
export const acknowledged = OrderEvent.acknowledged({ ...at, venueOrderId: VENUE_ORDER_ID });
export const cancelRequested = OrderEvent.cancelRequested(at);
export const cancelRejected = OrderEvent.cancelRejected({ ...at, reason: '-2011 Unknown order sent.' });
export const cancelled = OrderEvent.cancelled(at);
export const expired = OrderEvent.expired(at);
export const rejected = OrderEvent.rejected({
  ...at,
  reason: '-2010 Account has insufficient balance for requested action.',
});
