import { MalformedPayloadError } from './parse-error.ts';
import { asObject, optDecimal, optId, optPrice, optStr, str, id } from './parse-fields.ts';
import type { OandaOrder } from './order.ts';
import { OandaOrderState } from './enums.ts';
import { parseTime } from './time.ts';

const STATES = new Set<string>(Object.values(OandaOrderState));

/** A decoded Order object in domain values. */
export function parseOrder(value: unknown): OandaOrder {
  const kind = 'order';
  const o = asObject(value, kind);
  const state = str(o, 'state', kind);
  if (!STATES.has(state)) throw new MalformedPayloadError(kind, 'state', `unknown order state ${state}`);
  const createTime = parseTime(o['createTime'], kind, 'createTime');
  const filled = o['filledTime'] === undefined ? undefined : parseTime(o['filledTime'], kind, 'filledTime');
  const cancelled =
    o['cancelledTime'] === undefined ? undefined : parseTime(o['cancelledTime'], kind, 'cancelledTime');
  const ext = o['clientExtensions'];
  const clientOrderId =
    ext === undefined ? undefined : optStr(asObject(ext, kind, 'clientExtensions'), 'id', kind);
  const units = optDecimal(o, 'units', kind);
  const price = optPrice(o, 'price', kind);
  const instrument = optStr(o, 'instrument', kind);
  const timeInForce = optStr(o, 'timeInForce', kind);
  const filling = optId(o, 'fillingTransactionID', kind);
  const cancelling = optId(o, 'cancellingTransactionID', kind);
  return {
    id: id(o, 'id', kind),
    type: str(o, 'type', kind),
    state: state as OandaOrderState,
    createTime,
    updateTime: Math.max(createTime, filled ?? 0, cancelled ?? 0),
    ...(instrument === undefined ? {} : { instrument }),
    ...(units === undefined ? {} : { units }),
    ...(price === undefined ? {} : { price }),
    ...(timeInForce === undefined ? {} : { timeInForce }),
    ...(o['gtdTime'] === undefined ? {} : { gtdTime: parseTime(o['gtdTime'], kind, 'gtdTime') }),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(filling === undefined ? {} : { fillingTransactionId: filling }),
    ...(cancelling === undefined ? {} : { cancellingTransactionId: cancelling }),
  };
}

export function parseOrderList(value: unknown, field: string): OandaOrder[] {
  if (!Array.isArray(value)) throw new MalformedPayloadError('orders', field, 'expected an array');
  return value.map((o: unknown) => parseOrder(o));
}
