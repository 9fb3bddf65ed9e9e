/**
 * Why a pre-trade check refused an order. One code per rule, stable across releases: clients,
 * metrics (`reason` label) and the docs (docs/trading.md) use them.
 */
export const RiskReason = {
  /** Account or cluster kill switch is on: only cancels pass. */
  KILL_SWITCH: 'KILL_SWITCH',
  /** The instrument's own rules (tick, step, min/max, min notional): `validateOrder`. */
  INSTRUMENT_FILTER: 'INSTRUMENT_FILTER',
  /** price × quantity above the account's limit for the quote currency. */
  MAX_ORDER_NOTIONAL: 'MAX_ORDER_NOTIONAL',
  /** The net position in the instrument could exceed its limit if the order filled. */
  MAX_POSITION_INSTRUMENT: 'MAX_POSITION_INSTRUMENT',
  /** The net position in the base asset on the venue could exceed its limit if the order filled. */
  MAX_POSITION_VENUE: 'MAX_POSITION_VENUE',
  /** The account already has the maximum number of open orders. */
  MAX_OPEN_ORDERS: 'MAX_OPEN_ORDERS',
  /** The order-rate token bucket is empty. */
  ORDER_RATE: 'ORDER_RATE',
  /** The price is further from the current mid than the band allows. */
  PRICE_BAND: 'PRICE_BAND',
  /** A rule needs the current mid (price band, market-order notional) and none is known. */
  NO_REFERENCE_PRICE: 'NO_REFERENCE_PRICE',
  /** The asset the order spends, less what open orders already reserve, does not cover it. */
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
} as const;
export type RiskReason = (typeof RiskReason)[keyof typeof RiskReason];
