import { FixedDecimal } from '../../../../domain/values/index.ts';
import type { SimResponse } from '../../sim-server.ts';
import { OandaSimErrors } from '../common/errors.ts';
import { rfc3339, significantDecimals } from '../common/format.ts';
import { orderBody } from '../common/sim-order.ts';
import type { OandaSimState } from '../common/sim-state.ts';
import type { SimOrders, NewSimOrder } from '../sim-orders.ts';

type Json = Record<string, unknown>;

const TYPES = new Set(['MARKET', 'LIMIT', 'STOP']);
const TIF: Readonly<Record<string, ReadonlySet<string>>> = {
  MARKET: new Set(['FOK', 'IOC']),
  LIMIT: new Set(['GTC', 'GTD', 'GFD', 'FOK', 'IOC']),
  STOP: new Set(['GTC', 'GTD', 'GFD', 'FOK', 'IOC']),
};
const DEFAULT_TIF: Readonly<Record<string, string>> = { MARKET: 'FOK', LIMIT: 'GTC', STOP: 'GTC' };
const POSITION_FILL = new Set(['DEFAULT', 'OPEN_ONLY', 'REDUCE_FIRST', 'REDUCE_ONLY']);

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function parseGtd(value: string): number | undefined {
  const withZone = /[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? ms : undefined;
}

/** POST /v3/accounts/{id}/orders: validation as the venue does it, then creation. */
export function createOrderRoute(state: OandaSimState, orders: SimOrders, rawBody: string): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(rawBody || 'null');
  } catch {
    // The venue answers a body it cannot read with a plain 400, as below.
    return OandaSimErrors.badRequest('Invalid JSON in request body');
  }
  const order = (typeof body === 'object' && body !== null ? (body as Json)['order'] : undefined) as
    Json | undefined;
  if (typeof order !== 'object' || order === null)
    return OandaSimErrors.badRequest('The request was missing required data');
  const type = order['type'];
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return OandaSimErrors.badRequest("Invalid value specified for 'order.type'");
  }
  const instrument =
    typeof order['instrument'] === 'string' ? state.instruments.get(order['instrument']) : undefined;
  if (instrument === undefined)
    return OandaSimErrors.badRequest("Invalid value specified for 'order.instrument'");
  const unitsText = text(order['units']);
  if (unitsText === undefined || significantDecimals(unitsText) === undefined) {
    return OandaSimErrors.badRequest("Invalid value specified for 'order.units'");
  }
  const units = FixedDecimal.parse(unitsText);
  const tif = typeof order['timeInForce'] === 'string' ? order['timeInForce'] : (DEFAULT_TIF[type] as string);
  const price = text(order['price']);
  const priceBound = text(order['priceBound']);
  const gtdText = typeof order['gtdTime'] === 'string' ? order['gtdTime'] : undefined;
  const positionFill = typeof order['positionFill'] === 'string' ? order['positionFill'] : 'DEFAULT';
  const ext = order['clientExtensions'];
  const clientId =
    typeof ext === 'object' && ext !== null && typeof (ext as Json)['id'] === 'string'
      ? ((ext as Json)['id'] as string)
      : undefined;
  const now = state.now();
  const wire: Json = { instrument: instrument.name, units: unitsText, timeInForce: tif, positionFill };
  if (price !== undefined) wire['price'] = price;
  if (priceBound !== undefined) wire['priceBound'] = priceBound;
  if (gtdText !== undefined) wire['gtdTime'] = gtdText;
  if (clientId !== undefined) wire['clientExtensions'] = ext;
  if (type !== 'MARKET') wire['triggerCondition'] = 'DEFAULT';

  const reject = (rejectReason: string, errorMessage: string): SimResponse => {
    const t = state.log.append(
      `${type}_ORDER_REJECT`,
      { ...wire, reason: 'CLIENT_ORDER', rejectReason },
      rfc3339(now),
    );
    return {
      status: 400,
      body: {
        orderRejectTransaction: t,
        relatedTransactionIDs: [t.id],
        lastTransactionID: state.log.lastId,
        errorCode: rejectReason,
        errorMessage,
      },
    };
  };
  const unitDecimals = significantDecimals(unitsText) ?? 0;
  if (unitDecimals > instrument.tradeUnitsPrecision) {
    return reject('UNITS_PRECISION_EXCEEDED', 'The units specified contain more precision than is allowed');
  }
  if (units.abs().lt(FixedDecimal.from(instrument.minimumTradeSize))) {
    return reject('UNITS_MINIMUM_NOT_MET', 'The Order units specified do not meet the minimum requirement');
  }
  if (units.abs().gt(FixedDecimal.from(instrument.maximumOrderUnits))) {
    return reject('UNITS_LIMIT_EXCEEDED', 'The units specified exceed the maximum number of units allowed');
  }
  if (!(TIF[type] as ReadonlySet<string>).has(tif)) {
    return reject('TIME_IN_FORCE_INVALID', `The time-in-force ${tif} is not valid for a ${type} order`);
  }
  if (!POSITION_FILL.has(positionFill))
    return reject('POSITION_FILL_INVALID', 'The position fill is invalid');
  for (const [field, value, code] of [
    ['price', price, 'PRICE'],
    ['priceBound', priceBound, 'PRICE_BOUND'],
  ] as const) {
    if (value === undefined) {
      if (field === 'price' && type !== 'MARKET')
        return reject('PRICE_MISSING', 'The Order price is missing');
      continue;
    }
    const decimals = significantDecimals(value);
    if (decimals === undefined || value.startsWith('-') || FixedDecimal.parse(value).isZero()) {
      return reject(`${code}_INVALID`, `The ${field} specified is invalid`);
    }
    if (decimals > instrument.displayPrecision) {
      return reject(
        `${code}_PRECISION_EXCEEDED`,
        `The ${field} specified contains more precision than is allowed`,
      );
    }
  }
  let expiresAt: number | undefined;
  if (tif === 'GTD') {
    if (gtdText === undefined) return reject('TIME_IN_FORCE_GTD_TIMESTAMP_MISSING', 'The gtdTime is missing');
    expiresAt = parseGtd(gtdText);
    if (expiresAt === undefined)
      return reject('TIME_IN_FORCE_GTD_TIMESTAMP_INVALID', 'The gtdTime is invalid');
    if (expiresAt <= now) return reject('TIME_IN_FORCE_GTD_TIMESTAMP_IN_PAST', 'The gtdTime is in the past');
  } else if (tif === 'GFD') {
    expiresAt = Math.floor(now / 86_400_000 + 1) * 86_400_000; // the simulator's trading day ends at 00:00 UTC
  }
  if (clientId !== undefined && orders.pendingWithClientId(clientId)) {
    return reject(
      'CLIENT_ORDER_ID_ALREADY_EXISTS',
      'The client Order ID specified is already assigned to another pending Order',
    );
  }
  const request: NewSimOrder = {
    clientId,
    instrument,
    type: type as NewSimOrder['type'],
    units,
    timeInForce: tif,
    price,
    priceBound,
    expiresAt,
    positionFill,
    wire,
  };
  const outcome = orders.create(request);
  const response: Json = {
    orderCreateTransaction: outcome.create,
    relatedTransactionIDs: outcome.related,
    lastTransactionID: state.log.lastId,
  };
  if (outcome.fill !== undefined) response['orderFillTransaction'] = outcome.fill;
  if (outcome.cancel !== undefined) response['orderCancelTransaction'] = outcome.cancel;
  return {
    status: 201,
    headers: { Location: `/v3/accounts/${state.accountId}/orders/${outcome.create.id}` },
    body: response,
  };
}

/** PUT .../orders/{specifier}/cancel. */
export function cancelOrderRoute(state: OandaSimState, orders: SimOrders, specifier: string): SimResponse {
  const order = orders.find(specifier);
  if (order === undefined || order.state !== 'PENDING') {
    const fields: Json = { rejectReason: 'ORDER_DOESNT_EXIST', reason: 'CLIENT_REQUEST' };
    if (order !== undefined) fields['orderID'] = order.id;
    if (specifier.startsWith('@')) fields['clientOrderID'] = specifier.slice(1);
    const t = state.log.append('ORDER_CANCEL_REJECT', fields, rfc3339(state.now()));
    return {
      status: 404,
      body: {
        orderCancelRejectTransaction: t,
        relatedTransactionIDs: [t.id],
        lastTransactionID: state.log.lastId,
        errorCode: 'ORDER_DOESNT_EXIST',
        errorMessage: 'The Order specified does not exist',
      },
    };
  }
  const t = orders.cancelByClient(order);
  return {
    status: 200,
    body: { orderCancelTransaction: t, relatedTransactionIDs: [t.id], lastTransactionID: state.log.lastId },
  };
}

/** GET .../orders/{specifier}. */
export function getOrderRoute(state: OandaSimState, orders: SimOrders, specifier: string): SimResponse {
  const order = orders.find(specifier);
  if (order === undefined) {
    return {
      status: 404,
      body: { errorCode: 'ORDER_DOESNT_EXIST', errorMessage: 'The order ID specified does not exist' },
    };
  }
  return { status: 200, body: { order: orderBody(order), lastTransactionID: state.log.lastId } };
}

/** GET .../orders (state, instrument, count, ids) and GET .../pendingOrders (newest first). */
export function listOrdersRoute(
  state: OandaSimState,
  orders: SimOrders,
  query: URLSearchParams,
  pendingOnly: boolean,
): SimResponse {
  const wanted = pendingOnly ? 'PENDING' : (query.get('state') ?? 'PENDING');
  const instrument = query.get('instrument');
  const ids = query.get('ids')?.split(',');
  const count = Math.min(Number(query.get('count') ?? 50) || 50, 500);
  const list = orders
    .all()
    .filter((o) => wanted === 'ALL' || o.state === wanted)
    .filter((o) => instrument === null || o.instrument.name === instrument)
    .filter((o) => ids === undefined || ids.includes(o.id))
    .reverse()
    .slice(0, pendingOnly ? undefined : count);
  return { status: 200, body: { orders: list.map(orderBody), lastTransactionID: state.log.lastId } };
}
