import {
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceTimeInForce,
  asObject,
} from '../common/index.ts';
import type { WireObject } from '../common/index.ts';
import {
  asArray,
  bool,
  decimal,
  int,
  oneOf,
  optStr,
  parsePrice,
  price,
  quantity,
  signedDecimal,
  str,
} from '../common/parse-fields.ts';
import type {
  AccountInfo,
  AccountTrade,
  NewOrderResponse,
  OrderAck,
  OrderFill,
  OrderState,
} from './models.ts';

function optInt(o: WireObject, key: string, kind: string): number | undefined {
  return o[key] === undefined ? undefined : int(o, key, kind);
}

function ack(o: WireObject, kind: string): OrderAck {
  return {
    symbol: str(o, 'symbol', kind),
    orderId: int(o, 'orderId', kind),
    orderListId: optInt(o, 'orderListId', kind) ?? -1,
    clientOrderId: str(o, 'clientOrderId', kind),
    transactTime: optInt(o, 'transactTime', kind),
  };
}

/** An order object (RESULT, query, openOrders entry, cancel answer). */
export function parseOrderState(value: unknown, kind = 'order'): OrderState {
  const o = asObject(value, kind);
  const stop =
    o['stopPrice'] === undefined ? undefined : decimal(o['stopPrice'], kind, 'stopPrice', parsePrice);
  return {
    ...ack(o, kind),
    price: price(o, 'price', kind),
    origQty: quantity(o, 'origQty', kind),
    executedQty: quantity(o, 'executedQty', kind),
    cummulativeQuoteQty: signedDecimal(o, 'cummulativeQuoteQty', kind),
    status: oneOf(BinanceOrderStatus, o, 'status', kind),
    timeInForce: oneOf(BinanceTimeInForce, o, 'timeInForce', kind),
    type: oneOf(BinanceOrderType, o, 'type', kind),
    side: oneOf(BinanceOrderSide, o, 'side', kind),
    stopPrice: stop,
    time: optInt(o, 'time', kind),
    updateTime: optInt(o, 'updateTime', kind),
    isWorking: o['isWorking'] === undefined ? undefined : bool(o, 'isWorking', kind),
    origClientOrderId: optStr(o, 'origClientOrderId', kind),
  };
}

function fill(value: unknown, i: number): OrderFill {
  const kind = 'newOrder';
  const o = asObject(value, kind, `fills[${i}]`);
  return {
    price: price(o, 'price', kind),
    quantity: quantity(o, 'qty', kind),
    commission: signedDecimal(o, 'commission', kind),
    commissionAsset: str(o, 'commissionAsset', kind),
    tradeId: int(o, 'tradeId', kind),
  };
}

/** ACK, RESULT or FULL, told apart by which fields are present. */
export function parseNewOrderResponse(value: unknown): NewOrderResponse {
  const kind = 'newOrder';
  const o = asObject(value, kind);
  const hasState = o['status'] !== undefined;
  return {
    ack: ack(o, kind),
    state: hasState ? parseOrderState(o, kind) : undefined,
    fills: o['fills'] === undefined ? undefined : asArray(o['fills'], kind, 'fills').map(fill),
  };
}

export function parseOrderList(value: unknown, kind: string): OrderState[] {
  return asArray(value, kind, '$').map((o) => parseOrderState(o, kind));
}

export function parseAccount(value: unknown): AccountInfo {
  const kind = 'account';
  const o = asObject(value, kind);
  return {
    canTrade: bool(o, 'canTrade', kind),
    accountType: str(o, 'accountType', kind),
    updateTime: int(o, 'updateTime', kind),
    balances: asArray(o['balances'], kind, 'balances').map((b, i) => {
      const row = asObject(b, kind, `balances[${i}]`);
      return {
        asset: str(row, 'asset', kind),
        free: quantity(row, 'free', kind),
        locked: quantity(row, 'locked', kind),
      };
    }),
  };
}

/** `GET /api/v3/myTrades` body. */
export function parseAccountTrades(value: unknown): AccountTrade[] {
  const kind = 'myTrades';
  return asArray(value, kind, '$').map((item, i) => {
    const o = asObject(item, kind, `[${i}]`);
    return {
      symbol: str(o, 'symbol', kind),
      id: int(o, 'id', kind),
      orderId: int(o, 'orderId', kind),
      price: price(o, 'price', kind),
      quantity: quantity(o, 'qty', kind),
      commission: signedDecimal(o, 'commission', kind),
      commissionAsset: str(o, 'commissionAsset', kind),
      time: int(o, 'time', kind),
      isBuyer: bool(o, 'isBuyer', kind),
      isMaker: bool(o, 'isMaker', kind),
    };
  });
}
