import { FixedDecimal, Price, Quantity } from '../../../../domain/values/index.ts';
import type { PaperFill, PaperOrder, SubmitOrder, SubmitResult } from '../../../paper/index.ts';
import type { SimAccountKey } from '../common/auth.ts';
import { expandFill } from '../../compact-fill.ts';
import { SimErrors } from '../common/errors.ts';
import { fillObject, orderObject, orderResult } from '../common/format.ts';
import { wire } from '../common/instruments.ts';
import type { WireOrderType } from '../common/format.ts';
import type { Params } from '../common/params.ts';
import { forgetOrder } from '../common/sim-state.ts';
import type { BinanceSimState } from '../common/sim-state.ts';

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const TYPES = [
  'LIMIT',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
];

function decimal<T>(params: Params, name: string, parse: (t: string, f: string) => T): T | undefined {
  const text = params.get(name);
  if (text === undefined) return undefined;
  try {
    return parse(text, name);
  } catch {
    // Not a decimal the venue accepts: the venue's answer is the malformed-parameter error.
    throw SimErrors.mandatory(name);
  }
}
const price = (t: string, f: string): Price => Price.parse(t, f);
const quantity = (t: string, f: string): Quantity => Quantity.parse(t, f);
const fixed = (t: string, f: string): FixedDecimal => FixedDecimal.parse(t, f);

export function symbolOf(state: BinanceSimState, params: Params): string {
  const symbol = params.require('symbol');
  if (!state.symbols.has(symbol)) throw SimErrors.badSymbol();
  return symbol;
}

/** Binance new-order parameters → an engine command (rest-api.md "New order", mandatory params by type). */
function command(state: BinanceSimState, params: Params): { cmd: SubmitOrder; type: WireOrderType } {
  const symbol = symbolOf(state, params);
  const side = params.require('side');
  if (side !== 'BUY' && side !== 'SELL') throw SimErrors.mandatory('side');
  const type = params.require('type');
  if (!TYPES.includes(type)) throw SimErrors.mandatory('type');
  const wireType = type as WireOrderType;
  // Like the venue, the simulator invents an id when none is given; from the engine's seeded
  // generator, so a run with the same seed produces the same ids.
  const clientOrderId =
    params.get('newClientOrderId') ?? `sim-${state.now()}-${state.engine.random.nextUint32()}`;
  if (!CLIENT_ID.test(clientOrderId))
    throw SimErrors.illegalChars('newClientOrderId', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$');
  if (params.get('trailingDelta') !== undefined || params.get('icebergQty') !== undefined) {
    throw SimErrors.invalidMessage('trailingDelta and icebergQty are not supported by the simulator.');
  }
  const qty = decimal(params, 'quantity', quantity);
  const quoteQty = decimal(params, 'quoteOrderQty', fixed);
  const limitPrice = decimal(params, 'price', price);
  const stopPrice = decimal(params, 'stopPrice', price);
  const isLimit = type === 'LIMIT' || type.endsWith('_LIMIT') || type === 'LIMIT_MAKER';
  const isStop = type.startsWith('STOP_LOSS') || type.startsWith('TAKE_PROFIT');
  let tif = params.get('timeInForce');
  if (isLimit && type !== 'LIMIT_MAKER' && tif === undefined) throw SimErrors.mandatory('timeInForce');
  if (tif !== undefined && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK')
    throw SimErrors.mandatory('timeInForce');
  if (isLimit && limitPrice === undefined) throw SimErrors.mandatory('price');
  if (isStop && stopPrice === undefined) throw SimErrors.mandatory('stopPrice');
  if (type === 'MARKET') {
    if (qty === undefined && quoteQty === undefined) throw SimErrors.mandatory('quantity');
    if (quoteQty !== undefined && side === 'SELL') {
      throw SimErrors.invalidMessage('quoteOrderQty on SELL orders is not supported by the simulator.');
    }
  } else if (qty === undefined) {
    throw SimErrors.mandatory('quantity');
  }
  if (type === 'LIMIT_MAKER') tif = 'GTC';
  const engineType = isStop ? (isLimit ? 'STOP_LIMIT' : 'STOP') : type === 'MARKET' ? 'MARKET' : 'LIMIT';
  const cmd: SubmitOrder = {
    clientOrderId,
    instrumentId: symbol,
    side,
    type: engineType,
    timeInForce: (tif ?? 'GTC') as SubmitOrder['timeInForce'],
    quantity: qty ?? Quantity.zero(),
    ...(quoteQty !== undefined ? { quoteQuantity: quoteQty } : {}),
    ...(isLimit && limitPrice !== undefined ? { price: limitPrice } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...(type === 'LIMIT_MAKER' ? { postOnly: true } : {}),
  };
  return { cmd, type: wireType };
}

function rejection(result: Extract<SubmitResult, { accepted: false }>): Error {
  switch (result.reason) {
    case 'PRICE_FILTER':
    case 'LOT_SIZE':
    case 'MIN_NOTIONAL':
      return SimErrors.filterFailure(result.reason);
    case 'INSUFFICIENT_BALANCE':
      return SimErrors.rejected('Account has insufficient balance for requested action.');
    case 'POST_ONLY_WOULD_TAKE':
      return SimErrors.rejected('Order would immediately match and take.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return SimErrors.rejected('Duplicate order sent.');
    case 'UNKNOWN_INSTRUMENT':
      return SimErrors.badSymbol();
    case 'FOK_NOT_FILLABLE':
      return SimErrors.rejected('Order would not be fully filled immediately (FOK).');
    case 'NO_LIQUIDITY':
      return SimErrors.rejected('Market order could not be filled: no liquidity.');
    default:
      return SimErrors.invalidMessage(result.message);
  }
}

/** POST /api/v3/order (and /order/test when `testOnly`). */
export function newOrder(
  state: BinanceSimState,
  key: SimAccountKey,
  params: Params,
  testOnly: boolean,
): unknown {
  const { cmd, type } = command(state, params);
  if (testOnly) return {};
  const result = state.engine.submit(key.accountId, cmd);
  if (!result.accepted && (result.reason === 'FOK_NOT_FILLABLE' || result.reason === 'NO_LIQUIDITY')) {
    // The venue takes such an order and expires it at once: an EXPIRED order, not an error.
    return respond(params, expireAtOnce(state, key, cmd, type), type, []);
  }
  if (!result.accepted) throw rejection(result);
  const order = result.order;
  state.orderTypes.set(order.orderId, type);
  const id = `${key.accountId}|${order.clientOrderId}`;
  state.accepted.set(id, (state.accepted.get(id) ?? 0) + 1);
  return respond(params, order, type, result.fills);
}

function respond(
  params: Params,
  order: PaperOrder,
  type: WireOrderType,
  fills: readonly PaperFill[],
): unknown {
  const respType = params.get('newOrderRespType') ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
  if (respType === 'ACK') {
    return {
      symbol: order.instrumentId,
      orderId: Number(order.orderId),
      orderListId: -1,
      clientOrderId: order.clientOrderId,
      transactTime: order.createdAt,
    };
  }
  const body = orderResult(order, type);
  return respType === 'FULL' ? { ...body, fills: fills.map(fillObject) } : body;
}

function expireAtOnce(
  state: BinanceSimState,
  key: SimAccountKey,
  cmd: SubmitOrder,
  type: WireOrderType,
): PaperOrder {
  const now = state.now();
  const orderId = state.expiredAtOnce.nextOrderId();
  const order: PaperOrder = {
    orderId,
    clientOrderId: cmd.clientOrderId,
    accountId: key.accountId,
    instrumentId: cmd.instrumentId,
    side: cmd.side,
    type: cmd.type,
    timeInForce: cmd.timeInForce,
    price: cmd.price,
    stopPrice: cmd.stopPrice,
    quantity: cmd.quantity,
    quoteQuantity: cmd.quoteQuantity,
    filledQuantity: Quantity.zero(cmd.quantity.precision),
    cumulativeQuote: FixedDecimal.zero(),
    status: 'EXPIRED',
    createdAt: now,
    updatedAt: now,
    postOnly: cmd.postOnly === true,
    triggered: true,
  };
  state.orderTypes.set(orderId, type);
  const id = `${key.accountId}|${order.clientOrderId}`;
  state.accepted.set(id, (state.accepted.get(id) ?? 0) + 1);
  const dropped = state.expiredAtOnce.add(order);
  if (dropped !== undefined) forgetOrder(state, dropped);
  state.reportExpiredAtOnce(order, type);
  return order;
}

function find(
  state: BinanceSimState,
  key: SimAccountKey,
  params: Params,
  symbol: string,
): PaperOrder | undefined {
  const orderId = params.get('orderId');
  const clientOrderId = params.get('origClientOrderId');
  if (orderId === undefined && clientOrderId === undefined) throw SimErrors.mandatory('orderId');
  // orderId wins when both are given.
  const ref = orderId !== undefined ? { orderId } : { clientOrderId };
  const found = state.engine.getOrder(key.accountId, ref, symbol);
  if (found !== undefined) return found;
  const expired =
    orderId !== undefined
      ? state.expiredAtOnce.byOrderId(key.accountId, orderId)
      : state.expiredAtOnce.byClientOrderId(key.accountId, clientOrderId ?? '');
  return expired?.instrumentId === symbol ? expired : undefined;
}

export function typeOf(state: BinanceSimState, order: PaperOrder): WireOrderType {
  return state.orderTypes.get(order.orderId) ?? (order.type === 'MARKET' ? 'MARKET' : 'LIMIT');
}

export function queryOrder(state: BinanceSimState, key: SimAccountKey, params: Params): unknown {
  const symbol = symbolOf(state, params);
  const order = find(state, key, params, symbol);
  if (order === undefined) throw SimErrors.noSuchOrder();
  return orderObject(order, typeOf(state, order));
}

export function cancelOrder(state: BinanceSimState, key: SimAccountKey, params: Params): unknown {
  const symbol = symbolOf(state, params);
  const order = find(state, key, params, symbol);
  if (order === undefined) throw SimErrors.cancelUnknown();
  const restriction = params.get('cancelRestrictions');
  if (
    (restriction === 'ONLY_NEW' && order.status !== 'NEW') ||
    (restriction === 'ONLY_PARTIALLY_FILLED' && order.status !== 'PARTIALLY_FILLED')
  ) {
    throw SimErrors.cancelRestricted();
  }
  const cancelId = params.get('newClientOrderId') ?? `cancel-${order.orderId}`;
  state.cancelIds.set(order.orderId, cancelId);
  const result = state.engine.cancel(key.accountId, { orderId: order.orderId }, symbol);
  if (!result.cancelled) throw SimErrors.cancelUnknown();
  const { transactTime: _t, clientOrderId, ...rest } = orderResult(result.order, typeOf(state, result.order));
  return { symbol, origClientOrderId: clientOrderId, ...rest, clientOrderId: cancelId };
}

export function openOrders(state: BinanceSimState, key: SimAccountKey, params: Params): unknown {
  const symbol = params.get('symbol');
  if (symbol !== undefined && !state.symbols.has(symbol)) throw SimErrors.badSymbol();
  return state.engine.openOrders(key.accountId, symbol).map((o) => orderObject(o, typeOf(state, o)));
}

export function cancelAll(state: BinanceSimState, key: SimAccountKey, params: Params): unknown {
  const symbol = symbolOf(state, params);
  return state.engine.cancelAll(key.accountId, symbol).map((o) => {
    const { transactTime: _t, clientOrderId, ...rest } = orderResult(o, typeOf(state, o));
    return { symbol, origClientOrderId: clientOrderId, ...rest, clientOrderId: `cancel-${o.orderId}` };
  });
}

/** GET /api/v3/myTrades with `orderId`: the account's fills of that order, oldest first. */
export function myTrades(state: BinanceSimState, key: SimAccountKey, params: Params): unknown {
  const symbol = symbolOf(state, params);
  const orderId = params.require('orderId');
  const order = state.engine.getOrder(key.accountId, { orderId }, symbol);
  if (order === undefined) return [];
  const isBuyer = order.side === 'BUY';
  return (state.fills.get(`${key.accountId}|${orderId}`) ?? []).map(expandFill).map((fill) => ({
    symbol,
    id: Number(fill.tradeId),
    orderId: Number(orderId),
    orderListId: -1,
    price: wire(fill.price),
    qty: wire(fill.quantity),
    quoteQty: wire(fill.quantity.mul(fill.price)),
    commission: wire(fill.fee),
    commissionAsset: fill.feeAsset,
    time: fill.time,
    isBuyer,
    isMaker: fill.liquidity === 'MAKER',
    isBestMatch: true,
  }));
}
