import { InvalidArgumentError } from '../../../domain/errors.ts';
import {
  LiquiditySide,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
  formatInstrumentId,
  parseClientOrderId,
  parseTradeId,
  parseVenueOrderId,
} from '../../../domain/index.ts';
import type { ClientOrderId, InstrumentId, OrderRequest, VenueOrderId } from '../../../domain/index.ts';
import { Money } from '../../../domain/values/index.ts';
import type { FixedDecimal, Price } from '../../../domain/values/index.ts';
import type { VenueExecutionEvent, VenueFill, VenueOrderSnapshot } from '../../venue-connector.ts';
import type { BinanceOrderStatus } from '../common/enums.ts';
import {
  BinanceExecutionType,
  BinanceOrderSide,
  BinanceOrderType,
  BinanceTimeInForce,
  NewOrderRespType,
} from '../common/enums.ts';
import type { ExecutionReport } from '../common/user-data.ts';
import type { AccountTrade, NewOrderRequest, OrderFill, OrderState } from '../http/models.ts';

export const BINANCE_US_VENUE = 'binanceus';

/** The Binance.US symbol of an instrument id (`BTCUSD.BINANCEUS` → `BTCUSD`). */
export function symbolOf(instrumentId: InstrumentId): string {
  return instrumentId.slice(0, instrumentId.lastIndexOf('.'));
}

export function instrumentIdOf(symbol: string): InstrumentId {
  return formatInstrumentId(symbol, BINANCE_US_VENUE);
}

const TIF: Partial<Record<TimeInForce, BinanceTimeInForce>> = {
  GTC: BinanceTimeInForce.GTC,
  IOC: BinanceTimeInForce.IOC,
  FOK: BinanceTimeInForce.FOK,
};

function venueTif(request: OrderRequest): BinanceTimeInForce {
  const tif = TIF[request.timeInForce];
  if (tif === undefined) {
    throw new InvalidArgumentError('timeInForce', `${request.timeInForce} is not offered by Binance.US`);
  }
  return tif;
}

/**
 * A domain order request as a Binance.US new order: post-only LIMIT → LIMIT_MAKER (GTC only, the
 * venue rejects it instead of taking), STOP → STOP_LOSS, STOP_LIMIT → STOP_LOSS_LIMIT; MARKET takes no
 * time in force. FULL responses, so fills known at placement come back with the order.
 * InvalidArgumentError for what the venue cannot express (GTD/DAY, reduce-only, post-only non-LIMIT).
 */
export function toNewOrder(request: OrderRequest): NewOrderRequest {
  if (request.reduceOnly === true) {
    throw new InvalidArgumentError('reduceOnly', 'Binance.US spot has no reduce-only orders');
  }
  const side = request.side === OrderSide.BUY ? BinanceOrderSide.BUY : BinanceOrderSide.SELL;
  const base = {
    symbol: symbolOf(request.instrumentId),
    side,
    quantity: request.quantity,
    newClientOrderId: request.clientOrderId,
    newOrderRespType: NewOrderRespType.FULL,
  };
  const postOnly = request.postOnly === true;
  if (postOnly && (request.type !== OrderType.LIMIT || request.timeInForce !== TimeInForce.GTC)) {
    throw new InvalidArgumentError('postOnly', 'is only possible for a GTC LIMIT order (LIMIT_MAKER)');
  }
  switch (request.type) {
    case OrderType.MARKET:
      if (request.timeInForce !== TimeInForce.GTC && request.timeInForce !== TimeInForce.IOC) {
        throw new InvalidArgumentError('timeInForce', `a MARKET order cannot be ${request.timeInForce}`);
      }
      return { ...base, type: BinanceOrderType.MARKET };
    case OrderType.LIMIT:
      if (postOnly)
        return { ...base, type: BinanceOrderType.LIMIT_MAKER, price: required(request.price, 'price') };
      return {
        ...base,
        type: BinanceOrderType.LIMIT,
        timeInForce: venueTif(request),
        price: required(request.price, 'price'),
      };
    case OrderType.STOP:
      return {
        ...base,
        type: BinanceOrderType.STOP_LOSS,
        stopPrice: required(request.stopPrice, 'stopPrice'),
      };
    case OrderType.STOP_LIMIT:
      return {
        ...base,
        type: BinanceOrderType.STOP_LOSS_LIMIT,
        timeInForce: venueTif(request),
        price: required(request.price, 'price'),
        stopPrice: required(request.stopPrice, 'stopPrice'),
      };
  }
}

function required(value: Price | undefined, field: string): Price {
  if (value === undefined) throw new InvalidArgumentError(field, 'is required for this order type');
  return value;
}

const STATUS: Record<BinanceOrderStatus, OrderStatus> = {
  NEW: OrderStatus.ACKNOWLEDGED,
  PARTIALLY_FILLED: OrderStatus.PARTIALLY_FILLED,
  FILLED: OrderStatus.FILLED,
  CANCELED: OrderStatus.CANCELLED,
  PENDING_CANCEL: OrderStatus.PENDING_CANCEL,
  REJECTED: OrderStatus.REJECTED,
  EXPIRED: OrderStatus.EXPIRED,
  EXPIRED_IN_MATCH: OrderStatus.EXPIRED,
};

const TYPE: Record<BinanceOrderType, OrderType> = {
  LIMIT: OrderType.LIMIT,
  LIMIT_MAKER: OrderType.LIMIT,
  MARKET: OrderType.MARKET,
  STOP_LOSS: OrderType.STOP,
  TAKE_PROFIT: OrderType.STOP,
  STOP_LOSS_LIMIT: OrderType.STOP_LIMIT,
  TAKE_PROFIT_LIMIT: OrderType.STOP_LIMIT,
};

export function domainStatus(status: BinanceOrderStatus): OrderStatus {
  return STATUS[status];
}

function domainSide(side: BinanceOrderSide): OrderSide {
  return side === BinanceOrderSide.BUY ? OrderSide.BUY : OrderSide.SELL;
}

/** Prices the venue writes as zero where the order type has none are left out. */
function priceFields(type: OrderType, price: Price, stopPrice: Price | undefined): object {
  const hasPrice = type === OrderType.LIMIT || type === OrderType.STOP_LIMIT;
  const hasStop = type === OrderType.STOP || type === OrderType.STOP_LIMIT;
  return {
    ...(hasPrice && price.isPositive() ? { price } : {}),
    ...(hasStop && stopPrice?.isPositive() === true ? { stopPrice } : {}),
  };
}

/** Our client order id as the venue echoes it; the original one on a cancel answer. */
function ourClientOrderId(state: OrderState): ClientOrderId {
  return parseClientOrderId(state.origClientOrderId ?? state.clientOrderId, 'clientOrderId');
}

export function snapshotOf(state: OrderState): VenueOrderSnapshot {
  const type = TYPE[state.type];
  return {
    instrumentId: instrumentIdOf(state.symbol),
    clientOrderId: ourClientOrderId(state),
    venueOrderId: parseVenueOrderId(String(state.orderId)),
    side: domainSide(state.side),
    type,
    status: STATUS[state.status],
    quantity: state.origQty,
    filledQuantity: state.executedQty,
    ...priceFields(type, state.price, state.stopPrice),
    updatedAt: state.updateTime ?? state.transactTime ?? state.time ?? 0,
  };
}

function fee(amount: FixedDecimal, asset: string | undefined, fallbackAsset: string): Money {
  // A fill without commission names no asset (`N: null`); a zero fee in the quote asset says the same.
  return Money.fromRaw(amount.raw, amount.precision, asset ?? fallbackAsset);
}

/** Fills of a FULL new-order answer. */
export function fillsOf(
  state: OrderState,
  fills: readonly OrderFill[],
  quoteAsset: string,
  at: number,
): VenueFill[] {
  return fills.map((f) => ({
    instrumentId: instrumentIdOf(state.symbol),
    clientOrderId: ourClientOrderId(state),
    venueOrderId: parseVenueOrderId(String(state.orderId)),
    tradeId: parseTradeId(String(f.tradeId)),
    side: domainSide(state.side),
    price: f.price,
    quantity: f.quantity,
    fee: fee(f.commission, f.commissionAsset, quoteAsset),
    // A fill in the placement answer happened while the order was arriving: it took liquidity.
    liquidity: LiquiditySide.TAKER,
    timestamp: at,
  }));
}

/**
 * An executionReport as domain events: the order's new state, and a fill when it traded.
 * InvalidArgumentError when the report names an order that is not ours by id shape.
 */
export function executionEvents(report: ExecutionReport, quoteAsset: string): VenueExecutionEvent[] {
  const instrumentId = instrumentIdOf(report.symbol);
  const clientOrderId = parseClientOrderId(
    report.originalClientOrderId === '' ? report.clientOrderId : report.originalClientOrderId,
    'executionReport.c',
  );
  const venueOrderId: VenueOrderId = parseVenueOrderId(String(report.orderId), 'executionReport.i');
  const type = TYPE[report.orderType];
  const side = domainSide(report.side);
  const order: VenueOrderSnapshot = {
    instrumentId,
    clientOrderId,
    venueOrderId,
    side,
    type,
    status: STATUS[report.orderStatus],
    quantity: report.quantity,
    filledQuantity: report.cumulativeFilledQuantity,
    ...priceFields(type, report.price, report.stopPrice),
    updatedAt: report.transactionTime,
  };
  const reason =
    report.rejectReason !== 'NONE' && report.rejectReason !== '' ? report.rejectReason : undefined;
  const status: VenueExecutionEvent =
    reason === undefined ? { kind: 'order', order } : { kind: 'order', order, reason };
  if (report.executionType !== BinanceExecutionType.TRADE || report.tradeId < 0) return [status];
  // The trade before the order's new state: the state's cumulative filled quantity then includes
  // a fill the order manager already has. The other way round it would see the venue ahead of
  // its fills and query the order and its trades (weight 2 + 10 of Binance.US's 1,200 a minute)
  // for the fill that comes next in the same report.
  return [
    {
      kind: 'fill',
      fill: {
        instrumentId,
        clientOrderId,
        venueOrderId,
        tradeId: parseTradeId(String(report.tradeId), 'executionReport.t'),
        side,
        price: report.lastFilledPrice,
        quantity: report.lastFilledQuantity,
        fee: fee(report.commission, report.commissionAsset, quoteAsset),
        liquidity: report.isMaker ? LiquiditySide.MAKER : LiquiditySide.TAKER,
        timestamp: report.transactionTime,
      },
    },
    status,
  ];
}

/** `myTrades` rows of one order as fills (reconciliation after missed stream events). */
export function tradeFillsOf(
  state: OrderState,
  trades: readonly AccountTrade[],
  quoteAsset: string,
): VenueFill[] {
  return trades
    .filter((t) => t.orderId === state.orderId)
    .map((t) => ({
      instrumentId: instrumentIdOf(state.symbol),
      clientOrderId: ourClientOrderId(state),
      venueOrderId: parseVenueOrderId(String(state.orderId)),
      tradeId: parseTradeId(String(t.id)),
      side: domainSide(state.side),
      price: t.price,
      quantity: t.quantity,
      fee: fee(t.commission, t.commissionAsset, quoteAsset),
      liquidity: t.isMaker ? LiquiditySide.MAKER : LiquiditySide.TAKER,
      timestamp: t.time,
    }));
}
