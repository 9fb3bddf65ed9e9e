/** Why an order breaks an instrument's rules; venue-neutral. */
export const OrderViolationCode = {
  PRICE_MISSING: 'PRICE_MISSING',
  PRICE_NOT_ALLOWED: 'PRICE_NOT_ALLOWED',
  PRICE_NOT_POSITIVE: 'PRICE_NOT_POSITIVE',
  PRICE_NOT_ON_TICK: 'PRICE_NOT_ON_TICK',
  PRICE_BELOW_MIN: 'PRICE_BELOW_MIN',
  PRICE_ABOVE_MAX: 'PRICE_ABOVE_MAX',
  STOP_PRICE_MISSING: 'STOP_PRICE_MISSING',
  STOP_PRICE_NOT_ALLOWED: 'STOP_PRICE_NOT_ALLOWED',
  STOP_PRICE_NOT_POSITIVE: 'STOP_PRICE_NOT_POSITIVE',
  STOP_PRICE_NOT_ON_TICK: 'STOP_PRICE_NOT_ON_TICK',
  STOP_PRICE_BELOW_MIN: 'STOP_PRICE_BELOW_MIN',
  STOP_PRICE_ABOVE_MAX: 'STOP_PRICE_ABOVE_MAX',
  QUANTITY_NOT_POSITIVE: 'QUANTITY_NOT_POSITIVE',
  QUANTITY_NOT_ON_STEP: 'QUANTITY_NOT_ON_STEP',
  QUANTITY_BELOW_MIN: 'QUANTITY_BELOW_MIN',
  QUANTITY_ABOVE_MAX: 'QUANTITY_ABOVE_MAX',
  NOTIONAL_BELOW_MIN: 'NOTIONAL_BELOW_MIN',
} as const;
export type OrderViolationCode = (typeof OrderViolationCode)[keyof typeof OrderViolationCode];

/** How the venue itself would refuse the order: its code, and its message where it has its own text. */
export interface VenueRejection {
  /** e.g. "-1013" (Binance), "INVALID_PRICE_PRECISION" (Coinbase), "PRICE_PRECISION_EXCEEDED" (OANDA). */
  readonly code: string;
  /** e.g. "Filter failure: PRICE_FILTER" (Binance). */
  readonly message?: string;
}

/** One broken rule. */
export interface OrderViolation {
  readonly code: OrderViolationCode;
  /** The order field at fault: `price`, `stopPrice`, `quantity`, or `notional` (price × quantity). */
  readonly field: 'price' | 'stopPrice' | 'quantity' | 'notional';
  /** Says what is wrong with which values, e.g. "price 100.005 is not a multiple of the tick size 0.01". */
  readonly message: string;
  /** The venue's own rejection for this rule, when the instrument's venue has one. */
  readonly venue?: VenueRejection;
}

/** Either the order passes every rule, or the violations in check order (price, stop, quantity, notional). */
export type OrderValidation =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** The first violation, the one a venue would most likely report. */
      readonly violation: OrderViolation;
      readonly violations: readonly OrderViolation[];
    };
