import { InvalidArgumentError } from '../../../domain/errors.ts';
import { formatInstrumentId, parseTradeId, parseVenueOrderId } from '../../../domain/identifiers/index.ts';
import type { ClientOrderId, InstrumentId } from '../../../domain/identifiers/index.ts';
import {
  LiquiditySide,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from '../../../domain/orders/index.ts';
import type { OrderRequest } from '../../../domain/orders/index.ts';
import { Money } from '../../../domain/values/index.ts';
import type { Price, Quantity } from '../../../domain/values/index.ts';
import type { VenueFill, VenueOrderSnapshot } from '../../venue-connector.ts';
import { CoinbaseOrderStatus, StopDirection } from '../common/enums.ts';
import type { UserOrder } from '../common/user-data.ts';
import type { CoinbaseFill, CoinbaseOrder, CreateOrderRequest, OrderConfiguration } from '../http/models.ts';

/** The documented order configuration for a domain order; InvalidArgumentError for what Coinbase cannot express. */
export function toConfiguration(r: OrderRequest): OrderConfiguration {
  const baseSize = r.quantity;
  const postOnly = r.postOnly === true;
  if (r.reduceOnly === true)
    throw new InvalidArgumentError('reduceOnly', 'Coinbase spot orders have no reduce-only flag');
  switch (r.type) {
    case OrderType.MARKET:
      if (postOnly) throw new InvalidArgumentError('postOnly', 'a market order cannot be post-only');
      return { kind: 'market_market_ioc', baseSize };
    case OrderType.LIMIT: {
      const limitPrice = required(r.price, 'price');
      switch (r.timeInForce) {
        case TimeInForce.GTC:
          return { kind: 'limit_limit_gtc', baseSize, limitPrice, postOnly };
        case TimeInForce.GTD:
          return {
            kind: 'limit_limit_gtd',
            baseSize,
            limitPrice,
            postOnly,
            endTime: required(r.expireAt, 'expireAt'),
          };
        case TimeInForce.IOC:
          if (postOnly) throw new InvalidArgumentError('postOnly', 'an IOC order cannot be post-only');
          return { kind: 'sor_limit_ioc', baseSize, limitPrice };
        case TimeInForce.FOK:
          if (postOnly) throw new InvalidArgumentError('postOnly', 'a FOK order cannot be post-only');
          return { kind: 'limit_limit_fok', baseSize, limitPrice };
        default:
          throw new InvalidArgumentError('timeInForce', `${r.timeInForce} is not offered by Coinbase`);
      }
    }
    case OrderType.STOP_LIMIT: {
      if (postOnly) throw new InvalidArgumentError('postOnly', 'a stop-limit order cannot be post-only');
      const limitPrice = required(r.price, 'price');
      const stopPrice = required(r.stopPrice, 'stopPrice');
      // A buy stop triggers when the price rises to the stop, a sell stop when it falls to it.
      const stopDirection = r.side === OrderSide.BUY ? StopDirection.STOP_UP : StopDirection.STOP_DOWN;
      if (r.timeInForce === TimeInForce.GTC) {
        return { kind: 'stop_limit_stop_limit_gtc', baseSize, limitPrice, stopPrice, stopDirection };
      }
      if (r.timeInForce === TimeInForce.GTD) {
        return {
          kind: 'stop_limit_stop_limit_gtd',
          baseSize,
          limitPrice,
          stopPrice,
          stopDirection,
          endTime: required(r.expireAt, 'expireAt'),
        };
      }
      throw new InvalidArgumentError(
        'timeInForce',
        `a stop-limit order on Coinbase is GTC or GTD, not ${r.timeInForce}`,
      );
    }
    default:
      throw new InvalidArgumentError('type', `${r.type} orders are not offered by Coinbase`);
  }
}

export function toCreateOrder(r: OrderRequest, productId: string): CreateOrderRequest {
  return { clientOrderId: r.clientOrderId, productId, side: r.side, configuration: toConfiguration(r) };
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new InvalidArgumentError(field, 'is required for this order type');
  return value;
}

function typeOf(configuration: OrderConfiguration | undefined, orderType: string): OrderType {
  switch (configuration?.kind) {
    case 'market_market_ioc':
      return OrderType.MARKET;
    case 'stop_limit_stop_limit_gtc':
    case 'stop_limit_stop_limit_gtd':
      return OrderType.STOP_LIMIT;
    case undefined:
      break;
    default:
      return OrderType.LIMIT;
  }
  const t = orderType.toUpperCase();
  if (t === 'MARKET') return OrderType.MARKET;
  if (t === 'STOP_LIMIT' || t === 'STOP') return OrderType.STOP_LIMIT;
  return OrderType.LIMIT;
}

/** Coinbase status (+ filled size) → domain status. */
export function toOrderStatus(status: CoinbaseOrderStatus, filled: Quantity): OrderStatus {
  switch (status) {
    case CoinbaseOrderStatus.FILLED:
      return OrderStatus.FILLED;
    case CoinbaseOrderStatus.CANCELLED:
      return OrderStatus.CANCELLED;
    case CoinbaseOrderStatus.EXPIRED:
      return OrderStatus.EXPIRED;
    case CoinbaseOrderStatus.FAILED:
      return OrderStatus.REJECTED;
    case CoinbaseOrderStatus.CANCEL_QUEUED:
      return OrderStatus.PENDING_CANCEL;
    default:
      // OPEN, PENDING, QUEUED, UNKNOWN_ORDER_STATUS: working (or about to be) at the venue.
      return filled.isPositive() ? OrderStatus.PARTIALLY_FILLED : OrderStatus.ACKNOWLEDGED;
  }
}

function sizes(configuration: OrderConfiguration | undefined): {
  quantity?: Quantity;
  price?: Price;
  stopPrice?: Price;
} {
  if (configuration === undefined) return {};
  return {
    ...('baseSize' in configuration ? { quantity: configuration.baseSize } : {}),
    ...('limitPrice' in configuration ? { price: configuration.limitPrice } : {}),
    ...('stopPrice' in configuration ? { stopPrice: configuration.stopPrice } : {}),
  };
}

/** A REST order object as the venue-neutral snapshot. */
export function toSnapshot(o: CoinbaseOrder, clientOrderId?: ClientOrderId): VenueOrderSnapshot {
  const s = sizes(o.configuration);
  return {
    instrumentId: formatInstrumentId(o.productId, 'coinbase'),
    clientOrderId: clientOrderId ?? (o.clientOrderId as ClientOrderId),
    venueOrderId: parseVenueOrderId(o.orderId, 'order_id'),
    side: o.side,
    type: typeOf(o.configuration, o.orderType),
    status: toOrderStatus(o.status, o.filledSize),
    // A market buy by quote size names no base quantity: what was bought is all there is.
    quantity: s.quantity ?? o.filledSize,
    filledQuantity: o.filledSize,
    ...(s.price !== undefined ? { price: s.price } : {}),
    ...(s.stopPrice !== undefined ? { stopPrice: s.stopPrice } : {}),
    updatedAt: o.lastFillTime ?? o.createdTime,
  };
}

/** A `user` channel order as the venue-neutral snapshot. */
export function userOrderSnapshot(u: UserOrder, now: number): VenueOrderSnapshot {
  const quantity = u.cumulativeQuantity.add(u.leavesQuantity);
  const t = u.orderType.toUpperCase();
  return {
    instrumentId: formatInstrumentId(u.productId, 'coinbase'),
    clientOrderId: u.clientOrderId as ClientOrderId,
    venueOrderId: parseVenueOrderId(u.orderId, 'order_id'),
    side: u.side,
    type: t === 'MARKET' ? OrderType.MARKET : t.startsWith('STOP') ? OrderType.STOP_LIMIT : OrderType.LIMIT,
    status: toOrderStatus(u.status, u.cumulativeQuantity),
    quantity,
    filledQuantity: u.cumulativeQuantity,
    ...(u.limitPrice !== undefined ? { price: u.limitPrice } : {}),
    ...(u.stopPrice !== undefined ? { stopPrice: u.stopPrice } : {}),
    updatedAt: now,
  };
}

/** A fill as the venue-neutral fill; Coinbase charges commission in the quote currency. */
export function toFill(
  f: CoinbaseFill,
  instrumentId: InstrumentId,
  clientOrderId: ClientOrderId,
  quoteCurrency: string,
): VenueFill {
  return {
    instrumentId,
    clientOrderId,
    venueOrderId: parseVenueOrderId(f.orderId, 'order_id'),
    tradeId: parseTradeId(f.tradeId, 'trade_id'),
    side: f.side,
    price: f.price,
    quantity: f.size,
    fee: Money.fromRaw(f.commission.raw, f.commission.precision, quoteCurrency),
    liquidity: f.liquidity === 'MAKER' ? LiquiditySide.MAKER : LiquiditySide.TAKER,
    timestamp: f.tradeTime,
  };
}

export function instrumentOf(productId: string): InstrumentId {
  return formatInstrumentId(productId, 'coinbase');
}
