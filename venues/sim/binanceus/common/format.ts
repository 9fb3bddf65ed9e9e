import type { FixedDecimal } from '../../../../domain/values/index.ts';
import type { PaperFill, PaperOrder } from '../../../paper/index.ts';
import { wire } from './instruments.ts';

/** The Binance order type the client used, kept by the simulator since the engine has fewer types. */
export type WireOrderType =
  'LIMIT' | 'MARKET' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT' | 'LIMIT_MAKER';

const ZERO = '0.00000000';

/** The RESULT fields of an order (rest-api.md), decimals as 8-place strings. */
export function orderResult(order: PaperOrder, type: WireOrderType): Record<string, unknown> {
  return {
    symbol: order.instrumentId,
    orderId: Number(order.orderId),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.updatedAt,
    price: order.price === undefined ? ZERO : wire(order.price),
    origQty: wire(order.quantity),
    executedQty: wire(order.filledQuantity),
    cummulativeQuoteQty: wire(order.cumulativeQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type,
    side: order.side,
    workingTime: order.triggered ? order.createdAt : -1,
    selfTradePreventionMode: 'NONE',
  };
}

/** The order object of GET /api/v3/order and openOrders. */
export function orderObject(order: PaperOrder, type: WireOrderType): Record<string, unknown> {
  const { transactTime: _t, ...rest } = orderResult(order, type);
  return {
    ...rest,
    stopPrice: order.stopPrice === undefined ? ZERO : wire(order.stopPrice),
    icebergQty: ZERO,
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: order.triggered,
    origQuoteOrderQty: order.quoteQuantity === undefined ? ZERO : wire(order.quoteQuantity),
  };
}

export function fillObject(fill: PaperFill): Record<string, unknown> {
  return {
    price: wire(fill.price),
    qty: wire(fill.quantity),
    commission: wire(fill.fee),
    commissionAsset: fill.feeAsset,
    tradeId: Number(fill.tradeId),
  };
}

export function quote(value: FixedDecimal | undefined): string {
  return value === undefined ? ZERO : wire(value);
}
