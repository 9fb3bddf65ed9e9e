import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { OrderRequest } from '../../../domain/index.ts';
import { RoundingMode } from '../../../domain/values/index.ts';
import type { FixedPoint, Price } from '../../../domain/values/index.ts';
import { FixedDecimal } from '../../../domain/values/index.ts';
import type { OandaInstrumentInfo } from '../common/instrument-info.ts';
import { formatTime } from '../common/time.ts';
import type { OandaOrderSpec } from './models.ts';

/**
 * `value` as text with exactly `decimals` decimals, or an InvalidArgumentError when it has non-zero
 * digits beyond them: OANDA rejects such a request (PRICE_PRECISION_EXCEEDED, UNITS_PRECISION_EXCEEDED),
 * so it is refused here, before anything is sent.
 */
export function atPrecision(
  value: FixedPoint & { toFixed(p: number, m?: RoundingMode): string; toString(): string },
  decimals: number,
  field: string,
): string {
  const text = value.toFixed(decimals, RoundingMode.DOWN);
  if (FixedDecimal.parse(text).cmp(FixedDecimal.fromRaw(value.raw, value.precision)) !== 0) {
    throw new InvalidArgumentError(
      field,
      `${value.toString()} has more than ${decimals} decimals (the instrument's precision)`,
    );
  }
  return text;
}

function priceText(price: Price, info: OandaInstrumentInfo, field: string): string {
  return atPrecision(price, info.displayPrecision, field);
}

/**
 * A domain order → the OANDA order body. Units carry the side (positive buy, negative sell); MARKET
 * is FOK or IOC only; DAY maps to GFD; GTD sends gtdTime; STOP_LIMIT becomes a STOP with the limit as
 * priceBound (OANDA: the worst price a triggered STOP may fill at); reduceOnly is positionFill
 * REDUCE_ONLY; postOnly has no OANDA equivalent and is refused.
 */
export function toOrderSpec(request: OrderRequest, info: OandaInstrumentInfo): OandaOrderSpec {
  if (request.postOnly === true) throw new InvalidArgumentError('postOnly', 'OANDA has no post-only orders');
  if (!request.quantity.isPositive()) throw new InvalidArgumentError('quantity', 'must be greater than zero');
  const units = atPrecision(request.quantity, info.tradeUnitsPrecision, 'quantity');
  if (request.quantity.lt(info.instrument.minQuantity)) {
    throw new InvalidArgumentError(
      'quantity',
      `below the minimum trade size ${info.instrument.minQuantity.toString()}`,
    );
  }
  const signed = request.side === 'SELL' ? `-${units}` : units;
  const tif = request.timeInForce === 'DAY' ? 'GFD' : request.timeInForce;
  const base = {
    instrument: info.name,
    units: signed,
    clientOrderId: request.clientOrderId,
    ...(request.reduceOnly === true ? { positionFill: 'REDUCE_ONLY' as const } : {}),
  };
  const gtd =
    tif === 'GTD'
      ? {
          gtdTime: formatTime(request.expireAt ?? failField('expireAt', 'is required for GTD')),
        }
      : {};
  switch (request.type) {
    case 'MARKET':
      if (tif !== 'FOK' && tif !== 'IOC') {
        throw new InvalidArgumentError(
          'timeInForce',
          `a MARKET order on OANDA is FOK or IOC, got ${request.timeInForce}`,
        );
      }
      return { ...base, type: 'MARKET', timeInForce: tif };
    case 'LIMIT':
      return {
        ...base,
        ...gtd,
        type: 'LIMIT',
        timeInForce: tif,
        price: priceText(request.price ?? failField('price', 'is required'), info, 'price'),
      };
    case 'STOP':
    case 'STOP_LIMIT':
      return {
        ...base,
        ...gtd,
        type: 'STOP',
        timeInForce: tif,
        price: priceText(request.stopPrice ?? failField('stopPrice', 'is required'), info, 'stopPrice'),
        ...(request.type === 'STOP_LIMIT'
          ? { priceBound: priceText(request.price ?? failField('price', 'is required'), info, 'price') }
          : {}),
      };
  }
}

function failField(field: string, message: string): never {
  throw new InvalidArgumentError(field, message);
}
