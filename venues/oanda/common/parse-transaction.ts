import { MalformedPayloadError } from './parse-error.ts';
import { asObject, decimal, id, optDecimal, optId, optPrice, optStr, price, str } from './parse-fields.ts';
import type { JsonObject } from './parse-fields.ts';
import { parseTime } from './time.ts';
import type { OandaTransaction } from './transaction.ts';

const CREATE = new Set(['MARKET_ORDER', 'LIMIT_ORDER', 'STOP_ORDER']);
const REJECT = new Set(['MARKET_ORDER_REJECT', 'LIMIT_ORDER_REJECT', 'STOP_ORDER_REJECT']);

function clientId(o: JsonObject, kind: string): string | undefined {
  const ext = o['clientExtensions'];
  if (ext === undefined) return undefined;
  return optStr(asObject(ext, kind, 'clientExtensions'), 'id', kind);
}

/** A decoded transaction object (REST bodies, transaction stream, sinceid lists) in domain values. */
export function parseTransaction(value: unknown): OandaTransaction {
  const kind = 'transaction';
  const o = asObject(value, kind);
  const type = str(o, 'type', kind);
  const base = { id: id(o, 'id', kind), time: parseTime(o['time'], kind), type };
  const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } =>
    (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
  if (CREATE.has(type)) {
    const gtd = o['gtdTime'];
    return {
      ...base,
      kind: 'create',
      instrument: str(o, 'instrument', kind),
      units: decimal(o, 'units', kind),
      timeInForce: str(o, 'timeInForce', kind),
      ...opt('price', optPrice(o, 'price', kind)),
      ...opt('priceBound', optPrice(o, 'priceBound', kind)),
      ...opt('gtdTime', gtd === undefined ? undefined : parseTime(gtd, kind, 'gtdTime')),
      ...opt('clientOrderId', clientId(o, kind)),
    };
  }
  if (REJECT.has(type)) {
    return {
      ...base,
      kind: 'reject',
      rejectReason: str(o, 'rejectReason', kind),
      ...opt('instrument', optStr(o, 'instrument', kind)),
      ...opt('units', optDecimal(o, 'units', kind)),
      ...opt('clientOrderId', clientId(o, kind)),
    };
  }
  if (type === 'ORDER_FILL') {
    const vwap = optPrice(o, 'fullVWAP', kind);
    return {
      ...base,
      kind: 'fill',
      orderId: id(o, 'orderID', kind),
      instrument: str(o, 'instrument', kind),
      units: decimal(o, 'units', kind),
      price: vwap ?? price(o, 'price', kind),
      reason: str(o, 'reason', kind),
      ...opt('clientOrderId', optStr(o, 'clientOrderID', kind)),
      ...opt('commission', optDecimal(o, 'commission', kind)),
      ...opt('accountBalance', optDecimal(o, 'accountBalance', kind)),
    };
  }
  if (type === 'ORDER_CANCEL') {
    return {
      ...base,
      kind: 'cancel',
      orderId: id(o, 'orderID', kind),
      reason: str(o, 'reason', kind),
      ...opt('clientOrderId', optStr(o, 'clientOrderID', kind)),
    };
  }
  if (type === 'ORDER_CANCEL_REJECT') {
    return {
      ...base,
      kind: 'cancelReject',
      rejectReason: str(o, 'rejectReason', kind),
      ...opt('orderId', optId(o, 'orderID', kind)),
      ...opt('clientOrderId', optStr(o, 'clientOrderID', kind)),
    };
  }
  if (type === 'HEARTBEAT') throw new MalformedPayloadError(kind, 'type', 'a HEARTBEAT is not a transaction');
  return { ...base, kind: 'other' };
}

/** A list of transactions (`transactions` of a sinceid body). */
export function parseTransactionList(value: unknown, field: string): OandaTransaction[] {
  if (!Array.isArray(value)) throw new MalformedPayloadError('transactions', field, 'expected an array');
  return value.map((t: unknown) => parseTransaction(t));
}
