import {
  BinanceExecutionType,
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceTimeInForce,
} from './enums.ts';
import {
  asArray,
  asObject,
  bool,
  int,
  oneOf,
  optStr,
  parseJson,
  price,
  quantity,
  signedDecimal,
  str,
} from './parse-fields.ts';
import type { AccountPosition, BalanceUpdate, ExecutionReport, UserDataEvent } from './user-data.ts';

export function parseExecutionReport(value: unknown): ExecutionReport {
  const k = 'executionReport';
  const o = asObject(value, k);
  return {
    eventTime: int(o, 'E', k),
    symbol: str(o, 's', k),
    clientOrderId: str(o, 'c', k),
    side: oneOf(BinanceOrderSide, o, 'S', k),
    orderType: oneOf(BinanceOrderType, o, 'o', k),
    timeInForce: oneOf(BinanceTimeInForce, o, 'f', k),
    quantity: quantity(o, 'q', k),
    price: price(o, 'p', k),
    stopPrice: price(o, 'P', k),
    originalClientOrderId: optStr(o, 'C', k) ?? '',
    executionType: oneOf(BinanceExecutionType, o, 'x', k),
    orderStatus: oneOf(BinanceOrderStatus, o, 'X', k),
    rejectReason: str(o, 'r', k),
    orderId: int(o, 'i', k),
    lastFilledQuantity: quantity(o, 'l', k),
    cumulativeFilledQuantity: quantity(o, 'z', k),
    lastFilledPrice: price(o, 'L', k),
    commission: signedDecimal(o, 'n', k),
    commissionAsset: optStr(o, 'N', k),
    transactionTime: int(o, 'T', k),
    tradeId: int(o, 't', k),
    isOnBook: bool(o, 'w', k),
    isMaker: bool(o, 'm', k),
    creationTime: int(o, 'O', k),
    cumulativeQuoteQuantity: signedDecimal(o, 'Z', k),
    lastQuoteQuantity: signedDecimal(o, 'Y', k),
  };
}

export function parseAccountPosition(value: unknown): AccountPosition {
  const k = 'outboundAccountPosition';
  const o = asObject(value, k);
  return {
    eventTime: int(o, 'E', k),
    lastUpdateTime: int(o, 'u', k),
    balances: asArray(o['B'], k, 'B').map((b, i) => {
      const row = asObject(b, k, `B[${i}]`);
      return { asset: str(row, 'a', k), free: quantity(row, 'f', k), locked: quantity(row, 'l', k) };
    }),
  };
}

export function parseBalanceUpdate(value: unknown): BalanceUpdate {
  const k = 'balanceUpdate';
  const o = asObject(value, k);
  return {
    eventTime: int(o, 'E', k),
    asset: str(o, 'a', k),
    delta: signedDecimal(o, 'd', k),
    clearTime: int(o, 'T', k),
  };
}

/** A user-data-stream frame (raw or combined-wrapped) → a typed event; unknown `e` → undefined. */
export function parseUserDataFrame(text: string): UserDataEvent | undefined {
  let o = asObject(parseJson(text, 'userData'), 'userData');
  if (typeof o['stream'] === 'string' && o['data'] !== undefined) o = asObject(o['data'], 'userData', 'data');
  const type = str(o, 'e', 'userData');
  if (type === 'executionReport') return { kind: type, event: parseExecutionReport(o) };
  if (type === 'outboundAccountPosition') return { kind: type, event: parseAccountPosition(o) };
  if (type === 'balanceUpdate') return { kind: type, event: parseBalanceUpdate(o) };
  return undefined;
}
