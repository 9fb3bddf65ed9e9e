import { Money } from '../../../domain/values/index.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { asObject, id, int, optStr, str } from '../common/parse-fields.ts';
import type { JsonObject } from '../common/parse-fields.ts';
import { parseTransaction } from '../common/parse-transaction.ts';
import type { OandaTransaction } from '../common/transaction.ts';
import type { OandaAccountSummary, OandaOrderCreateResult } from './models.ts';

function tx<K extends OandaTransaction['kind']>(
  o: JsonObject,
  key: string,
  kind: K,
): Extract<OandaTransaction, { kind: K }> | undefined {
  if (o[key] === undefined) return undefined;
  const t = parseTransaction(o[key]);
  if (t.kind !== kind)
    throw new MalformedPayloadError('orderCreate', key, `unexpected transaction type ${t.type}`);
  return t as Extract<OandaTransaction, { kind: K }>;
}

/** A 201 body, or the body of a 400/404 order reject. */
export function parseOrderCreateResponse(body: unknown): OandaOrderCreateResult {
  const o = asObject(body, 'orderCreate');
  const create = tx(o, 'orderCreateTransaction', 'create');
  const fill = tx(o, 'orderFillTransaction', 'fill');
  const cancel = tx(o, 'orderCancelTransaction', 'cancel');
  const reject = tx(o, 'orderRejectTransaction', 'reject');
  if (create === undefined && reject === undefined) {
    throw new MalformedPayloadError(
      'orderCreate',
      'orderCreateTransaction',
      'neither a create nor a reject transaction',
    );
  }
  const errorCode = optStr(o, 'errorCode', 'orderCreate');
  const errorMessage = optStr(o, 'errorMessage', 'orderCreate');
  return {
    lastTransactionId: id(o, 'lastTransactionID', 'orderCreate'),
    ...(create === undefined ? {} : { create }),
    ...(fill === undefined ? {} : { fill }),
    ...(cancel === undefined ? {} : { cancel }),
    ...(reject === undefined ? {} : { reject }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
  };
}

export function parseAccountSummary(body: unknown): OandaAccountSummary {
  const kind = 'accountSummary';
  const a = asObject(asObject(body, kind)['account'], kind, 'account');
  const currency = str(a, 'currency', kind);
  const money = (key: string): Money => {
    const v = a[key];
    if (typeof v !== 'string') throw new MalformedPayloadError(kind, key, 'expected a decimal string');
    return Money.parse(v, currency, `${kind}.${key}`);
  };
  return {
    currency,
    balance: money('balance'),
    nav: money('NAV'),
    unrealizedPL: money('unrealizedPL'),
    marginUsed: money('marginUsed'),
    marginAvailable: money('marginAvailable'),
    openPositionCount: int(a, 'openPositionCount', kind),
    lastTransactionId: id(a, 'lastTransactionID', kind),
  };
}
