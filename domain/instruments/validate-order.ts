import { InvalidArgumentError } from '../errors.ts';
import { exactNotional, orderTypeHasPrice, orderTypeHasStopPrice } from '../orders/index.ts';
import type { OrderSide, OrderType } from '../orders/index.ts';
import { FixedDecimal, RoundingMode } from '../values/index.ts';
import type { FixedPointValue, Price, Quantity } from '../values/index.ts';
import type { Instrument } from './instrument.ts';
import type { OrderValidation, OrderViolation, OrderViolationCode } from './order-violation.ts';
import { venueRejection } from './venue-rejections.ts';

/** The parts of an order an instrument's rules look at. */
export interface OrderParameters {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  /** Limit price (LIMIT, STOP_LIMIT). */
  readonly price?: Price;
  /** Trigger price (STOP, STOP_LIMIT). */
  readonly stopPrice?: Price;
  /**
   * The price the minimum-notional check uses for an order without a limit price: for MARKET,
   * e.g. the last trade or the mid (without it, MARKET orders skip the notional check); STOP
   * orders use their stopPrice.
   */
  readonly referencePrice?: Price;
}

type Report = (code: OrderViolationCode, field: OrderViolation['field'], message: string) => void;

function isMultiple<T extends FixedPointValue<T>>(value: T, increment: T): boolean {
  return value.roundTo(increment, RoundingMode.DOWN).eq(value);
}

const PRICE_CODES = {
  MISSING: 'PRICE_MISSING',
  NOT_ALLOWED: 'PRICE_NOT_ALLOWED',
  NOT_POSITIVE: 'PRICE_NOT_POSITIVE',
  NOT_ON_TICK: 'PRICE_NOT_ON_TICK',
  BELOW_MIN: 'PRICE_BELOW_MIN',
  ABOVE_MAX: 'PRICE_ABOVE_MAX',
} as const satisfies Record<string, OrderViolationCode>;

const STOP_PRICE_CODES = {
  MISSING: 'STOP_PRICE_MISSING',
  NOT_ALLOWED: 'STOP_PRICE_NOT_ALLOWED',
  NOT_POSITIVE: 'STOP_PRICE_NOT_POSITIVE',
  NOT_ON_TICK: 'STOP_PRICE_NOT_ON_TICK',
  BELOW_MIN: 'STOP_PRICE_BELOW_MIN',
  ABOVE_MAX: 'STOP_PRICE_ABOVE_MAX',
} as const satisfies Record<string, OrderViolationCode>;

function checkPrice(
  instrument: Instrument,
  field: 'price' | 'stopPrice',
  value: Price | undefined,
  expected: boolean,
  type: OrderType,
  report: Report,
): void {
  const codes = field === 'price' ? PRICE_CODES : STOP_PRICE_CODES;
  if (value === undefined) {
    if (expected) report(codes.MISSING, field, `${field} is required for a ${type} order`);
    return;
  }
  if (!expected) {
    report(codes.NOT_ALLOWED, field, `${field} must not be set on a ${type} order`);
    return;
  }
  const shown = value.toString();
  if (!value.isPositive()) {
    report(codes.NOT_POSITIVE, field, `${field} must be greater than zero, got ${shown}`);
    return;
  }
  if (!isMultiple(value, instrument.tickSize)) {
    report(
      codes.NOT_ON_TICK,
      field,
      `${field} ${shown} is not a multiple of the tick size ${instrument.tickSize.toString()}`,
    );
  }
  if (instrument.minPrice !== undefined && value.lt(instrument.minPrice)) {
    report(
      codes.BELOW_MIN,
      field,
      `${field} ${shown} is below the minimum price ${instrument.minPrice.toString()}`,
    );
  }
  if (instrument.maxPrice !== undefined && value.gt(instrument.maxPrice)) {
    report(
      codes.ABOVE_MAX,
      field,
      `${field} ${shown} is above the maximum price ${instrument.maxPrice.toString()}`,
    );
  }
}

function checkQuantity(instrument: Instrument, quantity: Quantity, report: Report): void {
  const shown = quantity.toString();
  if (!quantity.isPositive()) {
    report('QUANTITY_NOT_POSITIVE', 'quantity', `quantity must be greater than zero, got ${shown}`);
    return;
  }
  if (!isMultiple(quantity, instrument.stepSize)) {
    report(
      'QUANTITY_NOT_ON_STEP',
      'quantity',
      `quantity ${shown} is not a multiple of the step size ${instrument.stepSize.toString()}`,
    );
  }
  if (quantity.lt(instrument.minQuantity)) {
    report(
      'QUANTITY_BELOW_MIN',
      'quantity',
      `quantity ${shown} is below the minimum ${instrument.minQuantity.toString()}`,
    );
  }
  if (quantity.gt(instrument.maxQuantity)) {
    report(
      'QUANTITY_ABOVE_MAX',
      'quantity',
      `quantity ${shown} is above the maximum ${instrument.maxQuantity.toString()}`,
    );
  }
}

function checkNotional(instrument: Instrument, order: OrderParameters, report: Report): void {
  const price = order.price ?? (order.type === 'STOP' ? order.stopPrice : undefined) ?? order.referencePrice;
  if (price === undefined || !price.isPositive() || !order.quantity.isPositive()) return;
  if (!instrument.minNotional.isPositive()) return;
  const notional = exactNotional(price, order.quantity);
  if (notional.lt(FixedDecimal.from(instrument.minNotional))) {
    report(
      'NOTIONAL_BELOW_MIN',
      'notional',
      `notional ${notional.toString()} (price ${price.toString()} × quantity ${order.quantity.toString()}) ` +
        `is below the minimum ${instrument.minNotional.toDisplayString()}`,
    );
  }
}

/**
 * Checks an order against the instrument's rules before it is sent: price fields required or
 * refused by the order type, prices positive, on the tick and within bounds, quantity positive,
 * on the step and within bounds, and price × quantity at least the minimum notional. Every
 * violation is listed with the venue's own rejection code where it has one.
 */
export function validateOrder(instrument: Instrument, order: OrderParameters): OrderValidation {
  const violations: OrderViolation[] = [];
  const report: Report = (code, field, message) => {
    const venue = venueRejection(instrument.venue, code);
    violations.push(Object.freeze({ code, field, message, ...(venue === undefined ? {} : { venue }) }));
  };
  checkPrice(instrument, 'price', order.price, orderTypeHasPrice(order.type), order.type, report);
  checkPrice(instrument, 'stopPrice', order.stopPrice, orderTypeHasStopPrice(order.type), order.type, report);
  checkQuantity(instrument, order.quantity, report);
  checkNotional(instrument, order, report);
  const [first] = violations;
  if (first === undefined) return { ok: true };
  return Object.freeze({ ok: false, violation: first, violations: Object.freeze(violations) });
}

/**
 * `validateOrder`, throwing the first violation as an `InvalidArgumentError` on its field, with
 * the violation code and the venue's rejection in `details`.
 */
export function assertValidOrder(instrument: Instrument, order: OrderParameters): void {
  const result = validateOrder(instrument, order);
  if (result.ok) return;
  const { violation } = result;
  throw new InvalidArgumentError(violation.field, `${violation.message} (${instrument.id})`, {
    details: {
      code: violation.code,
      instrumentId: instrument.id,
      ...(violation.venue === undefined ? {} : { venueCode: violation.venue.code }),
      ...(violation.venue?.message === undefined ? {} : { venueMessage: violation.venue.message }),
    },
  });
}
