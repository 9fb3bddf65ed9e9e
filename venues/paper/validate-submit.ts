import type { FixedPoint } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { InstrumentState } from './instrument-state.ts';
import { isPaperOrderSide, isPaperOrderType, isPaperTimeInForce } from './order-enums.ts';
import { rawAt } from './paper-instrument.ts';
import { RejectReason } from './reject-reason.ts';
import { NOT_BY_QUOTE } from './working-order.ts';
import type { OrderValues } from './working-order.ts';

export interface Refusal {
  readonly reason: RejectReason;
  readonly message: string;
}

export function refuse(reason: RejectReason, message: string): Refusal {
  return { reason, message };
}

const MAX_CLIENT_ORDER_ID_LENGTH = 64;
const DECIMAL_FIELDS = ['price', 'stopPrice', 'quoteQuantity'] as const;

function isFixedPoint(value: unknown): value is FixedPoint {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FixedPoint).raw === 'bigint' &&
    typeof (value as FixedPoint).precision === 'number'
  );
}

function shapeError(cmd: SubmitOrder): string | undefined {
  const c = cmd as Partial<Record<keyof SubmitOrder, unknown>>;
  if (typeof c.clientOrderId !== 'string' || c.clientOrderId.length === 0) {
    return 'clientOrderId must be a non-empty string';
  }
  if (c.clientOrderId.length > MAX_CLIENT_ORDER_ID_LENGTH) {
    return `clientOrderId is longer than ${MAX_CLIENT_ORDER_ID_LENGTH} characters`;
  }
  if (!isPaperOrderSide(c.side)) return `side must be BUY or SELL, got ${JSON.stringify(c.side)}`;
  if (!isPaperOrderType(c.type))
    return `type must be MARKET, LIMIT, STOP or STOP_LIMIT, got ${JSON.stringify(c.type)}`;
  if (!isPaperTimeInForce(c.timeInForce)) {
    return `timeInForce must be GTC, IOC or FOK, got ${JSON.stringify(c.timeInForce)}`;
  }
  if (c.quantity !== undefined && !isFixedPoint(c.quantity)) return 'quantity must be a Quantity';
  for (const field of DECIMAL_FIELDS) {
    if (c[field] !== undefined && !isFixedPoint(c[field])) return `${field} must be a fixed-point value`;
  }
  if (c.postOnly !== undefined && typeof c.postOnly !== 'boolean') return 'postOnly must be a boolean';
  return undefined;
}

function combinationError(cmd: SubmitOrder): string | undefined {
  const limitType = cmd.type === 'LIMIT' || cmd.type === 'STOP_LIMIT';
  const stopType = cmd.type === 'STOP' || cmd.type === 'STOP_LIMIT';
  if (limitType && cmd.price === undefined) return `${cmd.type} order needs a price`;
  if (!limitType && cmd.price !== undefined) return `${cmd.type} order must not have a price`;
  if (stopType && cmd.stopPrice === undefined) return `${cmd.type} order needs a stopPrice`;
  if (!stopType && cmd.stopPrice !== undefined) return `${cmd.type} order must not have a stopPrice`;
  if (cmd.postOnly === true && (cmd.type !== 'LIMIT' || cmd.timeInForce !== 'GTC')) {
    return 'postOnly is only allowed on LIMIT GTC orders';
  }
  if (cmd.quoteQuantity !== undefined) {
    if (cmd.side !== 'BUY' || (cmd.type !== 'MARKET' && cmd.type !== 'STOP')) {
      return 'quoteQuantity is only allowed on MARKET and STOP buys';
    }
    if (cmd.timeInForce === 'FOK') return 'quoteQuantity cannot be combined with FOK';
    if (cmd.quantity !== undefined && cmd.quantity.raw !== 0n) {
      return 'give either quantity or quoteQuantity, not both';
    }
    if (cmd.quoteQuantity.raw <= 0n) return 'quoteQuantity must be greater than zero';
  } else if (cmd.quantity === undefined) {
    return 'quantity is required';
  }
  return undefined;
}

/** The price at tick scale, or why it fails PRICE_FILTER. */
function checkPrice(instrument: InstrumentState, value: FixedPoint, field: string): bigint | string {
  const rules = instrument.rules;
  if (value.raw <= 0n) return `${field} must be greater than zero`;
  const raw = rawAt(value, rules.pricePrecision);
  if (raw === undefined || (rules.tickRaw !== 1n && raw % rules.tickRaw !== 0n)) {
    return `${field} is not a multiple of the tick size ${rules.tickSize.toString()}`;
  }
  if (rules.minPriceRaw !== undefined && raw < rules.minPriceRaw)
    return `${field} is below the minimum price`;
  if (rules.maxPriceRaw !== undefined && raw > rules.maxPriceRaw)
    return `${field} is above the maximum price`;
  return raw;
}

function checkQuantity(instrument: InstrumentState, value: FixedPoint): bigint | string {
  const rules = instrument.rules;
  const raw = rawAt(value, rules.quantityPrecision);
  if (raw === undefined || (rules.stepRaw !== 1n && raw % rules.stepRaw !== 0n)) {
    return `quantity is not a multiple of the step size ${rules.stepSize.toString()}`;
  }
  if (raw < rules.minQtyRaw) return 'quantity is below the minimum quantity';
  if (raw > rules.maxQtyRaw) return 'quantity is above the maximum quantity';
  return raw;
}

/**
 * Checks a command against its instrument's filters, in Binance's order: shape, price filter, lot
 * size, minimum notional, and writes its values into `out`. Book- and balance-dependent checks are
 * the engine's.
 */
export function validateSubmit(
  instrument: InstrumentState,
  cmd: SubmitOrder,
  out: OrderValues,
): Refusal | undefined {
  const combination = combinationError(cmd);
  if (combination !== undefined) return refuse(RejectReason.INVALID_ORDER, combination);
  let price = 0n;
  let stopPrice = 0n;
  if (cmd.price !== undefined) {
    const checked = checkPrice(instrument, cmd.price, 'price');
    if (typeof checked === 'string') return refuse(RejectReason.PRICE_FILTER, checked);
    price = checked;
  }
  if (cmd.stopPrice !== undefined) {
    const checked = checkPrice(instrument, cmd.stopPrice, 'stopPrice');
    if (typeof checked === 'string') return refuse(RejectReason.PRICE_FILTER, checked);
    stopPrice = checked;
  }
  const rules = instrument.rules;
  if (cmd.quoteQuantity !== undefined) {
    const quote = rawAt(cmd.quoteQuantity, instrument.quoteAsset.precision);
    if (quote === undefined) {
      return refuse(
        RejectReason.INVALID_ORDER,
        `quoteQuantity has more than ${instrument.quoteAsset.precision} decimals`,
      );
    }
    if (quote < rules.minNotionalRaw * instrument.quoteMul) {
      return refuse(RejectReason.MIN_NOTIONAL, 'quoteQuantity is below the minimum notional');
    }
    out.price = price;
    out.stopPrice = stopPrice;
    out.quantity = 0n;
    out.notional = 0n;
    out.quoteRemaining = quote;
    return undefined;
  }
  const quantity = checkQuantity(instrument, cmd.quantity);
  if (typeof quantity === 'string') return refuse(RejectReason.LOT_SIZE, quantity);
  // Market orders have no price to check here; a stop is valued at its stop price.
  const reference = price !== 0n ? price : stopPrice;
  const notional = reference !== 0n ? reference * quantity : 0n;
  if (reference !== 0n && notional < rules.minNotionalRaw) {
    return refuse(RejectReason.MIN_NOTIONAL, 'price × quantity is below the minimum notional');
  }
  out.notional = price !== 0n ? notional : 0n;
  out.price = price;
  out.stopPrice = stopPrice;
  out.quantity = quantity;
  out.quoteRemaining = NOT_BY_QUOTE;
  return undefined;
}

export function checkShape(cmd: SubmitOrder): Refusal | undefined {
  const error = shapeError(cmd);
  return error === undefined ? undefined : refuse(RejectReason.INVALID_ORDER, error);
}
