import type { VenueId } from '../identifiers/index.ts';
import type { OrderViolationCode, VenueRejection } from './order-violation.ts';

type RejectionTable = Readonly<Partial<Record<OrderViolationCode, VenueRejection>>>;

const binancePriceFilter: VenueRejection = { code: '-1013', message: 'Filter failure: PRICE_FILTER' };
const binanceLotSize: VenueRejection = { code: '-1013', message: 'Filter failure: LOT_SIZE' };

const coinbaseLimitPrice: VenueRejection = { code: 'INVALID_LIMIT_PRICE' };
const coinbaseStopPrice: VenueRejection = { code: 'PREVIEW_INVALID_STOP_PRICE' };
const coinbaseSizeTooSmall: VenueRejection = { code: 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL' };

const oandaPriceInvalid: VenueRejection = { code: 'PRICE_INVALID' };

/**
 * How each venue reports a broken rule, from its documentation (see the venue notes in shared/venues):
 * - binanceus: error code and `msg` of the REST error body. Filter failures are all -1013; the
 *   notional filter is MIN_NOTIONAL in the Binance.US documents (NOTIONAL on newer symbols).
 *   Binance checks ticks from minPrice (`(price − minPrice) % tickSize`); ours from zero, the same
 *   thing whenever minPrice is on the tick grid, as it is on every Binance.US symbol.
 * - coinbase: `new_order_failure_reason` where one exists, else `preview_failure_reason`.
 * - oanda: the `rejectReason` of the reject transaction. UNITS_MIMIMUM_NOT_MET is OANDA's own
 *   (misspelt) enum value. An OANDA STOP order carries its trigger in `price`, so stop-price
 *   rules map to the price reasons. OANDA has no minimum notional.
 * Rules a venue cannot express (e.g. a price on a Coinbase market order) have no entry.
 */
export const VENUE_REJECTIONS: Readonly<Record<string, RejectionTable>> = {
  binanceus: {
    PRICE_MISSING: {
      code: '-1102',
      message: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
    },
    PRICE_NOT_ALLOWED: { code: '-1106', message: "Parameter 'price' sent when not required." },
    PRICE_NOT_POSITIVE: binancePriceFilter,
    PRICE_NOT_ON_TICK: binancePriceFilter,
    PRICE_BELOW_MIN: binancePriceFilter,
    PRICE_ABOVE_MAX: binancePriceFilter,
    STOP_PRICE_MISSING: {
      code: '-1102',
      message: "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.",
    },
    STOP_PRICE_NOT_ALLOWED: { code: '-1106', message: "Parameter 'stopPrice' sent when not required." },
    STOP_PRICE_NOT_POSITIVE: binancePriceFilter,
    STOP_PRICE_NOT_ON_TICK: binancePriceFilter,
    STOP_PRICE_BELOW_MIN: binancePriceFilter,
    STOP_PRICE_ABOVE_MAX: binancePriceFilter,
    QUANTITY_NOT_POSITIVE: binanceLotSize,
    QUANTITY_NOT_ON_STEP: binanceLotSize,
    QUANTITY_BELOW_MIN: binanceLotSize,
    QUANTITY_ABOVE_MAX: binanceLotSize,
    NOTIONAL_BELOW_MIN: { code: '-1013', message: 'Filter failure: MIN_NOTIONAL' },
  },
  coinbase: {
    PRICE_NOT_POSITIVE: coinbaseLimitPrice,
    PRICE_NOT_ON_TICK: { code: 'INVALID_PRICE_PRECISION' },
    PRICE_BELOW_MIN: coinbaseLimitPrice,
    PRICE_ABOVE_MAX: coinbaseLimitPrice,
    STOP_PRICE_NOT_POSITIVE: coinbaseStopPrice,
    STOP_PRICE_NOT_ON_TICK: { code: 'PREVIEW_INVALID_STOP_PRICE_PRECISION' },
    STOP_PRICE_BELOW_MIN: coinbaseStopPrice,
    STOP_PRICE_ABOVE_MAX: coinbaseStopPrice,
    QUANTITY_NOT_POSITIVE: coinbaseSizeTooSmall,
    QUANTITY_NOT_ON_STEP: { code: 'INVALID_SIZE_PRECISION' },
    QUANTITY_BELOW_MIN: coinbaseSizeTooSmall,
    QUANTITY_ABOVE_MAX: { code: 'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE' },
    NOTIONAL_BELOW_MIN: { code: 'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL' },
  },
  oanda: {
    PRICE_MISSING: { code: 'PRICE_MISSING' },
    PRICE_NOT_POSITIVE: oandaPriceInvalid,
    PRICE_NOT_ON_TICK: { code: 'PRICE_PRECISION_EXCEEDED' },
    PRICE_BELOW_MIN: oandaPriceInvalid,
    PRICE_ABOVE_MAX: oandaPriceInvalid,
    STOP_PRICE_MISSING: { code: 'PRICE_MISSING' },
    STOP_PRICE_NOT_POSITIVE: oandaPriceInvalid,
    STOP_PRICE_NOT_ON_TICK: { code: 'PRICE_PRECISION_EXCEEDED' },
    STOP_PRICE_BELOW_MIN: oandaPriceInvalid,
    STOP_PRICE_ABOVE_MAX: oandaPriceInvalid,
    QUANTITY_NOT_POSITIVE: { code: 'UNITS_INVALID' },
    QUANTITY_NOT_ON_STEP: { code: 'UNITS_PRECISION_EXCEEDED' },
    QUANTITY_BELOW_MIN: { code: 'UNITS_MIMIMUM_NOT_MET' },
    QUANTITY_ABOVE_MAX: { code: 'UNITS_LIMIT_EXCEEDED' },
  },
};

/** The venue's own rejection for `code`, if `venue` has one. */
export function venueRejection(venue: VenueId, code: OrderViolationCode): VenueRejection | undefined {
  return Object.hasOwn(VENUE_REJECTIONS, venue) ? VENUE_REJECTIONS[venue]?.[code] : undefined;
}
