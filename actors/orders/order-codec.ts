// JSON forms of orders and order events for the journal: decimals as exact strings, money as
// { amount, currency }; decoding re-validates every value through the domain constructors.
import {
  FixedDecimal,
  Money,
  OrderEvent,
  Price,
  Quantity,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseLiquiditySide,
  parseOrderId,
  parseOrderSide,
  parseOrderStatus,
  parseOrderType,
  parseTimeInForce,
  parseTradeId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { Order, OrderEvent as DomainOrderEvent } from '../../domain/index.ts';

export interface MoneyJson {
  readonly amount: string;
  readonly currency: string;
}

export interface OrderJson {
  readonly id: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly type: string;
  readonly timeInForce: string;
  readonly quantity: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly expireAt?: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly status: string;
  readonly venueOrderId?: string;
  readonly filledQuantity: string;
  readonly filledNotional: string;
  readonly fees: readonly MoneyJson[];
  readonly tradeIds: readonly string[];
  readonly rejectReason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type OrderEventJson =
  | {
      readonly kind: 'SUBMITTED' | 'CANCEL_REQUESTED' | 'EXPIRED';
      readonly clientOrderId: string;
      readonly timestamp: number;
    }
  | {
      readonly kind: 'ACKNOWLEDGED';
      readonly clientOrderId: string;
      readonly timestamp: number;
      readonly venueOrderId: string;
    }
  | {
      readonly kind: 'REJECTED' | 'CANCEL_REJECTED';
      readonly clientOrderId: string;
      readonly timestamp: number;
      readonly reason: string;
    }
  | {
      readonly kind: 'CANCELLED';
      readonly clientOrderId: string;
      readonly timestamp: number;
      readonly reason?: string;
    }
  | {
      readonly kind: 'FILLED';
      readonly clientOrderId: string;
      readonly timestamp: number;
      readonly tradeId: string;
      readonly venueOrderId?: string;
      readonly quantity: string;
      readonly price: string;
      readonly fee: MoneyJson;
      readonly liquidity: string;
    };

const money = (m: Money): MoneyJson => ({ amount: m.toString(), currency: m.currency });
const fromMoney = (m: MoneyJson, field: string): Money => Money.parse(m.amount, m.currency, field);

export function encodeOrder(order: Order): OrderJson {
  return {
    id: order.id,
    clientOrderId: order.clientOrderId,
    accountId: order.accountId,
    instrumentId: order.instrumentId,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    quantity: order.quantity.toString(),
    ...(order.price === undefined ? {} : { price: order.price.toString() }),
    ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice.toString() }),
    ...(order.expireAt === undefined ? {} : { expireAt: order.expireAt }),
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    status: order.status,
    ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
    filledQuantity: order.filledQuantity.toString(),
    filledNotional: order.filledNotional.toString(),
    fees: order.fees.map(money),
    tradeIds: [...order.tradeIds],
    ...(order.rejectReason === undefined ? {} : { rejectReason: order.rejectReason }),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export function decodeOrder(json: OrderJson): Order {
  return Object.freeze({
    id: parseOrderId(json.id),
    clientOrderId: parseClientOrderId(json.clientOrderId),
    accountId: parseAccountId(json.accountId),
    instrumentId: parseInstrumentId(json.instrumentId),
    side: parseOrderSide(json.side),
    type: parseOrderType(json.type),
    timeInForce: parseTimeInForce(json.timeInForce),
    quantity: Quantity.parse(json.quantity),
    ...(json.price === undefined ? {} : { price: Price.parse(json.price) }),
    ...(json.stopPrice === undefined ? {} : { stopPrice: Price.parse(json.stopPrice, 'stopPrice') }),
    ...(json.expireAt === undefined ? {} : { expireAt: json.expireAt }),
    postOnly: json.postOnly,
    reduceOnly: json.reduceOnly,
    status: parseOrderStatus(json.status),
    ...(json.venueOrderId === undefined ? {} : { venueOrderId: parseVenueOrderId(json.venueOrderId) }),
    filledQuantity: Quantity.parse(json.filledQuantity, 'filledQuantity'),
    filledNotional: FixedDecimal.parse(json.filledNotional, 'filledNotional'),
    fees: Object.freeze(json.fees.map((f) => fromMoney(f, 'fees'))),
    tradeIds: Object.freeze(json.tradeIds.map((t) => parseTradeId(t))),
    ...(json.rejectReason === undefined ? {} : { rejectReason: json.rejectReason }),
    createdAt: json.createdAt,
    updatedAt: json.updatedAt,
  });
}

export function encodeOrderEvent(event: DomainOrderEvent): OrderEventJson {
  switch (event.kind) {
    case 'FILLED':
      return {
        kind: event.kind,
        clientOrderId: event.clientOrderId,
        timestamp: event.timestamp,
        tradeId: event.tradeId,
        ...(event.venueOrderId === undefined ? {} : { venueOrderId: event.venueOrderId }),
        quantity: event.quantity.toString(),
        price: event.price.toString(),
        fee: money(event.fee),
        liquidity: event.liquidity,
      };
    case 'ACKNOWLEDGED':
      return {
        kind: event.kind,
        clientOrderId: event.clientOrderId,
        timestamp: event.timestamp,
        venueOrderId: event.venueOrderId,
      };
    case 'REJECTED':
    case 'CANCEL_REJECTED':
      return {
        kind: event.kind,
        clientOrderId: event.clientOrderId,
        timestamp: event.timestamp,
        reason: event.reason,
      };
    case 'CANCELLED':
      return {
        kind: event.kind,
        clientOrderId: event.clientOrderId,
        timestamp: event.timestamp,
        ...(event.reason === undefined ? {} : { reason: event.reason }),
      };
    case 'SUBMITTED':
    case 'CANCEL_REQUESTED':
    case 'EXPIRED':
      return { kind: event.kind, clientOrderId: event.clientOrderId, timestamp: event.timestamp };
  }
}

export function decodeOrderEvent(json: OrderEventJson): DomainOrderEvent {
  const base = { clientOrderId: parseClientOrderId(json.clientOrderId), timestamp: json.timestamp };
  switch (json.kind) {
    case 'FILLED':
      return OrderEvent.filled({
        ...base,
        tradeId: parseTradeId(json.tradeId),
        ...(json.venueOrderId === undefined ? {} : { venueOrderId: parseVenueOrderId(json.venueOrderId) }),
        quantity: Quantity.parse(json.quantity, 'fill.quantity'),
        price: Price.parse(json.price, 'fill.price'),
        fee: fromMoney(json.fee, 'fill.fee'),
        liquidity: parseLiquiditySide(json.liquidity),
      });
    case 'ACKNOWLEDGED':
      return OrderEvent.acknowledged({ ...base, venueOrderId: parseVenueOrderId(json.venueOrderId) });
    case 'REJECTED':
      return OrderEvent.rejected({ ...base, reason: json.reason });
    case 'CANCEL_REJECTED':
      return OrderEvent.cancelRejected({ ...base, reason: json.reason });
    case 'CANCELLED':
      return OrderEvent.cancelled({ ...base, ...(json.reason === undefined ? {} : { reason: json.reason }) });
    case 'SUBMITTED':
      return OrderEvent.submitted(base);
    case 'CANCEL_REQUESTED':
      return OrderEvent.cancelRequested(base);
    case 'EXPIRED':
      return OrderEvent.expired(base);
  }
}
