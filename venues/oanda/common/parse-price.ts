import { Quantity } from '../../../domain/values/index.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { asObject, bool, optId, price, str } from './parse-fields.ts';
import type { JsonObject } from './parse-fields.ts';
import type { OandaPrice, OandaPriceLevel, OandaPricingLine } from './price-line.ts';
import { parseTime } from './time.ts';

const KIND = 'price';

function levels(o: JsonObject, key: 'bids' | 'asks'): OandaPriceLevel[] {
  const list = o[key];
  if (!Array.isArray(list)) throw new MalformedPayloadError(KIND, key, 'expected an array');
  return list.map((entry: unknown, i) => {
    const level = asObject(entry, KIND, `${key}[${i}]`);
    const liquidity = level['liquidity'];
    if (typeof liquidity !== 'number' || !Number.isSafeInteger(liquidity) || liquidity < 0) {
      throw new MalformedPayloadError(KIND, `${key}[${i}].liquidity`, 'expected a non-negative integer');
    }
    return { price: price(level, 'price', KIND), quantity: Quantity.fromRaw(BigInt(liquidity), 0) };
  });
}

/** A decoded ClientPrice object in domain values (validating; any key order, extra keys ignored). */
export function parsePriceObject(o: JsonObject): OandaPrice {
  return {
    instrument: str(o, 'instrument', KIND),
    time: parseTime(o['time'], KIND),
    tradeable: bool(o, 'tradeable', KIND),
    bids: levels(o, 'bids'),
    asks: levels(o, 'asks'),
    closeoutBid: price(o, 'closeoutBid', KIND),
    closeoutAsk: price(o, 'closeoutAsk', KIND),
  };
}

/**
 * One pricing-stream or transaction-stream heartbeat line, validating. `tradeable` is optional on
 * old lines (the docs example has only the deprecated `status`): then `status === 'tradeable'`.
 */
export function parsePricingLineValue(value: unknown): OandaPricingLine {
  const o = asObject(value, 'line');
  const type = o['type'];
  if (type === 'HEARTBEAT') {
    const last = optId(o, 'lastTransactionID', 'heartbeat');
    return {
      type: 'HEARTBEAT',
      time: parseTime(o['time'], 'heartbeat'),
      ...(last === undefined ? {} : { lastTransactionId: last }),
    };
  }
  if (type === 'PRICE') {
    const withTradeable =
      o['tradeable'] === undefined && typeof o['status'] === 'string'
        ? { ...o, tradeable: o['status'] === 'tradeable' }
        : o;
    return { type: 'PRICE', price: parsePriceObject(withTradeable) };
  }
  throw new MalformedPayloadError('line', 'type', `expected PRICE or HEARTBEAT, got ${JSON.stringify(type)}`);
}

/** JSON text of one line → domain line; throws MalformedPayloadError. */
export function parsePricingLineText(text: string): OandaPricingLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedPayloadError('line', '$', 'invalid JSON', { cause: error });
  }
  return parsePricingLineValue(value);
}
