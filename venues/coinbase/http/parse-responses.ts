import { FixedDecimal, Quantity } from '../../../domain/values/index.ts';
import { CoinbaseOrderStatus, CoinbaseSide, LiquidityIndicator } from '../common/enums.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import {
  asArray,
  asObject,
  bool,
  describe,
  isOneOf,
  oneOf,
  optPrice,
  optStr,
  optTime,
  price,
  quantity,
  signedDecimal,
  str,
  time,
} from '../common/parse-fields.ts';
import type { WireObject } from '../common/parse-fields.ts';
import { configurationFromWire } from './order-configuration.ts';
import type {
  AccountPage,
  CancelResult,
  CoinbaseAccount,
  CoinbaseFill,
  CoinbaseOrder,
  CreateOrderResponse,
  FillPage,
  OrderPage,
  PriceBook,
  PriceBookLevel,
} from './models.ts';

function text(o: WireObject, key: string, kind: string): string {
  return optStr(o, key, kind) ?? '';
}

/** `POST /orders` answer: success_response or error_response (rejections are HTTP 200 with success:false). */
export function parseCreateOrderResponse(value: unknown): CreateOrderResponse {
  const kind = 'createOrder';
  const o = asObject(value, kind);
  if (bool(o, 'success', kind)) {
    const r = asObject(o['success_response'], kind, 'success_response');
    return {
      success: true,
      orderId: str(r, 'order_id', kind),
      productId: str(r, 'product_id', kind),
      side: oneOf(CoinbaseSide, r, 'side', kind),
      clientOrderId: str(r, 'client_order_id', kind),
    };
  }
  // Older answers carried `failure_reason` at the top level; newer ones use error_response.
  const e = o['error_response'] === undefined ? o : asObject(o['error_response'], kind, 'error_response');
  const newOrder = optStr(e, 'new_order_failure_reason', kind);
  const preview = optStr(e, 'preview_failure_reason', kind);
  const error = text(e, 'error', kind) || text(o, 'failure_reason', kind);
  const specific = (r: string | undefined): string | undefined =>
    r === undefined || r === '' || r.startsWith('UNKNOWN_') ? undefined : r;
  return {
    success: false,
    reason: specific(newOrder) ?? specific(preview) ?? (error || 'UNKNOWN_FAILURE_REASON'),
    error,
    message: text(e, 'message', kind),
    errorDetails: text(e, 'error_details', kind),
    previewFailureReason: preview,
    newOrderFailureReason: newOrder,
  };
}

function count(o: WireObject, key: string, kind: string): number {
  const v = o[key];
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0)
    throw new MalformedPayloadError(kind, key, `expected a count, got ${describe(v)}`);
  return n;
}

/** An order object of the historical endpoints. */
export function parseOrder(value: unknown, kind = 'order'): CoinbaseOrder {
  const o = asObject(value, kind);
  return {
    orderId: str(o, 'order_id', kind),
    productId: str(o, 'product_id', kind),
    clientOrderId: text(o, 'client_order_id', kind),
    side: oneOf(CoinbaseSide, o, 'side', kind),
    status: oneOf(CoinbaseOrderStatus, o, 'status', kind),
    timeInForce: text(o, 'time_in_force', kind),
    configuration:
      o['order_configuration'] === undefined
        ? undefined
        : configurationFromWire(o['order_configuration'], kind),
    createdTime: time(o, 'created_time', kind),
    filledSize: o['filled_size'] === undefined ? Quantity.zero() : quantity(o, 'filled_size', kind),
    averageFilledPrice: optPrice(o, 'average_filled_price', kind),
    totalFees: o['total_fees'] === undefined ? FixedDecimal.zero() : signedDecimal(o, 'total_fees', kind),
    numberOfFills: count(o, 'number_of_fills', kind),
    orderType: text(o, 'order_type', kind),
    rejectReason: text(o, 'reject_reason', kind),
    rejectMessage: text(o, 'reject_message', kind),
    cancelMessage: text(o, 'cancel_message', kind),
    lastFillTime: optTime(o, 'last_fill_time', kind),
  };
}

export function parseGetOrder(value: unknown): CoinbaseOrder {
  return parseOrder(asObject(value, 'getOrder')['order'], 'getOrder');
}

export function parseOrderPage(value: unknown): OrderPage {
  const kind = 'listOrders';
  const o = asObject(value, kind);
  return {
    orders: asArray(o['orders'], kind, 'orders').map((x) => parseOrder(x, kind)),
    hasNext: o['has_next'] === true,
    cursor: text(o, 'cursor', kind),
  };
}

function fill(value: unknown): CoinbaseFill {
  const kind = 'fill';
  const o = asObject(value, kind);
  const liquidity = o['liquidity_indicator'];
  return {
    entryId: text(o, 'entry_id', kind),
    tradeId: str(o, 'trade_id', kind),
    orderId: str(o, 'order_id', kind),
    productId: str(o, 'product_id', kind),
    tradeTime: time(o, 'trade_time', kind),
    price: price(o, 'price', kind),
    size: quantity(o, 'size', kind),
    commission: signedDecimal(o, 'commission', kind),
    liquidity: isOneOf(LiquidityIndicator, liquidity)
      ? liquidity
      : LiquidityIndicator.UNKNOWN_LIQUIDITY_INDICATOR,
    side: oneOf(CoinbaseSide, o, 'side', kind),
  };
}

export function parseFillPage(value: unknown): FillPage {
  const kind = 'listFills';
  const o = asObject(value, kind);
  return { fills: asArray(o['fills'], kind, 'fills').map(fill), cursor: text(o, 'cursor', kind) };
}

export function parseCancelResults(value: unknown): CancelResult[] {
  const kind = 'batchCancel';
  return asArray(asObject(value, kind)['results'], kind, 'results').map((r) => {
    const o = asObject(r, kind, 'results[]');
    return {
      success: bool(o, 'success', kind),
      failureReason: text(o, 'failure_reason', kind),
      orderId: str(o, 'order_id', kind),
    };
  });
}

function balance(o: WireObject, key: string, kind: string) {
  return signedDecimal(asObject(o[key], kind, key), 'value', kind);
}

export function parseAccountPage(value: unknown): AccountPage {
  const kind = 'accounts';
  const o = asObject(value, kind);
  return {
    accounts: asArray(o['accounts'], kind, 'accounts').map((a): CoinbaseAccount => {
      const row = asObject(a, kind, 'accounts[]');
      return {
        uuid: str(row, 'uuid', kind),
        currency: str(row, 'currency', kind),
        available: balance(row, 'available_balance', kind),
        hold: row['hold'] === undefined ? FixedDecimal.zero() : balance(row, 'hold', kind),
      };
    }),
    hasNext: o['has_next'] === true,
    cursor: text(o, 'cursor', kind),
  };
}

function levels(value: unknown, kind: string, field: string): PriceBookLevel[] {
  return asArray(value, kind, field).map((l) => {
    const o = asObject(l, kind, `${field}[]`);
    return { price: price(o, 'price', kind), size: quantity(o, 'size', kind) };
  });
}

export function parsePriceBook(value: unknown): PriceBook {
  const kind = 'productBook';
  const b = asObject(asObject(value, kind)['pricebook'], kind, 'pricebook');
  return {
    productId: str(b, 'product_id', kind),
    bids: levels(b['bids'], kind, 'bids'),
    asks: levels(b['asks'], kind, 'asks'),
    time: optTime(b, 'time', kind) ?? Date.now(),
  };
}
