import { parseClientOrderId, parseTradeId, parseVenueOrderId } from '../../../domain/index.ts';
import type {
  ClientOrderId,
  InstrumentId,
  OrderSide,
  OrderStatus,
  OrderType,
} from '../../../domain/index.ts';
import { Money, Quantity } from '../../../domain/values/index.ts';
import type { FixedDecimal, Price } from '../../../domain/values/index.ts';
import type { VenueFill, VenueOrderSnapshot } from '../../venue-connector.ts';
import type { OandaInstrumentInfo } from '../common/instrument-info.ts';
import type { OandaOrder } from '../common/order.ts';
import type { OrderFillTransaction } from '../common/transaction.ts';

/** The side a signed OANDA units value stands for. */
export function sideOf(units: FixedDecimal): OrderSide {
  return units.isNegative() ? 'SELL' : 'BUY';
}

export function quantityOf(units: FixedDecimal): Quantity {
  return Quantity.fromRaw(units.raw < 0n ? -units.raw : units.raw, units.precision);
}

/** What the connector remembers of one of its orders between transactions. */
export interface TrackedOrder {
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly stopPrice?: Price;
  filled: Quantity;
  status: OrderStatus;
  updatedAt: number;
  /** Fill transaction ids already counted in `filled` (a fill arrives by REST and by stream). */
  readonly fillIds: Set<string>;
}

/** Counts a fill once; returns false when it was already counted or the order is closed. */
export function applyFill(o: TrackedOrder, fill: OrderFillTransaction): boolean {
  if (o.fillIds.has(fill.id) || o.status === 'FILLED' || o.status === 'CANCELLED' || o.status === 'EXPIRED') {
    return false;
  }
  o.fillIds.add(fill.id);
  o.filled = o.filled.add(quantityOf(fill.units));
  o.status = o.filled.gte(o.quantity) ? 'FILLED' : 'PARTIALLY_FILLED';
  o.updatedAt = Math.max(o.updatedAt, fill.time);
  return true;
}

/** Closes an order on its cancel; returns false when it was already closed. */
export function applyCancel(o: TrackedOrder, reason: string, time: number): boolean {
  if (o.status === 'FILLED' || o.status === 'CANCELLED' || o.status === 'EXPIRED') return false;
  o.status = statusOfCancel(reason);
  o.updatedAt = Math.max(o.updatedAt, time);
  return true;
}

export function snapshotOf(o: TrackedOrder): VenueOrderSnapshot {
  return {
    instrumentId: o.instrumentId,
    clientOrderId: o.clientOrderId,
    venueOrderId: parseVenueOrderId(o.venueOrderId),
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: o.quantity,
    filledQuantity: o.filled,
    ...(o.price === undefined ? {} : { price: o.price }),
    ...(o.stopPrice === undefined ? {} : { stopPrice: o.stopPrice }),
    updatedAt: o.updatedAt,
  };
}

/** OANDA's cancel reason as the domain's terminal status: expiry is EXPIRED, everything else CANCELLED. */
export function statusOfCancel(reason: string): OrderStatus {
  return reason === 'TIME_IN_FORCE_EXPIRED' ? 'EXPIRED' : 'CANCELLED';
}

/**
 * A REST Order (LIMIT, STOP, MARKET of ours) as a tracked order. `filled` comes from the caller
 * (OANDA orders do not carry filled units); TRIGGERED is treated as working.
 */
export function trackOrder(
  order: OandaOrder,
  info: OandaInstrumentInfo,
  filled: Quantity,
  clientOrderId: string,
): TrackedOrder {
  const units = order.units;
  const quantity = units === undefined ? Quantity.zero() : quantityOf(units);
  const type: OrderType = order.type === 'LIMIT' ? 'LIMIT' : order.type === 'MARKET' ? 'MARKET' : 'STOP';
  const status: OrderStatus =
    order.state === 'FILLED'
      ? 'FILLED'
      : order.state === 'CANCELLED'
        ? 'CANCELLED'
        : filled.isPositive()
          ? 'PARTIALLY_FILLED'
          : 'ACKNOWLEDGED';
  return {
    instrumentId: info.instrument.id,
    clientOrderId: parseClientOrderId(clientOrderId),
    venueOrderId: order.id,
    side: units === undefined ? 'BUY' : sideOf(units),
    type,
    quantity,
    ...(order.price === undefined
      ? {}
      : type === 'STOP'
        ? { stopPrice: order.price }
        : { price: order.price }),
    filled: order.state === 'FILLED' ? quantity : filled,
    status,
    updatedAt: order.updateTime,
    fillIds: new Set(),
  };
}

/**
 * An ORDER_FILL as a domain fill. The trade id is the fill transaction id (unique per account).
 * OANDA is the counterparty of every fill, so each is TAKER; the fee is the commission (charged
 * amounts are negative on the wire) in the account's home currency.
 */
export function fillOf(
  t: OrderFillTransaction,
  instrumentId: InstrumentId,
  clientOrderId: ClientOrderId,
  homeCurrency: string,
): VenueFill {
  const commission = t.commission;
  const fee =
    commission === undefined
      ? Money.zero(homeCurrency)
      : Money.fromRaw(
          commission.raw < 0n ? -commission.raw : commission.raw,
          commission.precision,
          homeCurrency,
        );
  return {
    instrumentId,
    clientOrderId,
    venueOrderId: parseVenueOrderId(t.orderId),
    tradeId: parseTradeId(t.id),
    side: sideOf(t.units),
    price: t.price,
    quantity: quantityOf(t.units),
    fee,
    liquidity: 'TAKER',
    timestamp: t.time,
  };
}
