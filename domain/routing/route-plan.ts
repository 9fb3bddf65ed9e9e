import type { Instrument } from '../instruments/index.ts';
import type { OrderSide } from '../orders/index.ts';
import type { FixedDecimal, Price, Quantity } from '../values/index.ts';

/** One price level of a book on the side a route takes (asks for a buy, bids for a sell). */
export interface RouteLevel {
  readonly price: Price;
  readonly quantity: Quantity;
}

/** What the planner knows of one venue listing the market, and which account would trade there. */
export interface RouteVenueInput {
  /** The caller's account on this venue (opaque to the planner, copied into the leg). */
  readonly accountId: string;
  /** The venue's instrument for the market: its tick, step, minimum and maximum quantity, minimum notional. */
  readonly instrument: Instrument;
  /** Taker fee rate as a fraction (0.001 = 10 bp); a negative rate is a rebate. */
  readonly takerFeeRate: FixedDecimal;
  /** The book levels on the side to take, in any order; levels without a positive price and quantity are ignored. */
  readonly levels: readonly RouteLevel[];
}

export interface RouteRequestInput {
  readonly side: OrderSide;
  /** > 0. */
  readonly quantity: Quantity;
  /** Worst level price acceptable (highest for a buy, lowest for a sell); none: any price in the books. */
  readonly limitPrice?: Price;
}

/** One child order of a plan: an IOC limit order on one venue. */
export interface RouteLeg {
  readonly accountId: string;
  readonly instrument: Instrument;
  /** A multiple of the instrument's step, within its minimum and maximum. */
  readonly quantity: Quantity;
  /** The worst level price taken on this venue: the child's limit price. */
  readonly limitPrice: Price;
  /** Σ price × quantity over the levels the leg is expected to take (exact, in the quote asset). */
  readonly expectedNotional: FixedDecimal;
  /** expectedNotional × the venue's taker fee rate (rounded up to 18 decimals at most). */
  readonly expectedFee: FixedDecimal;
}

/** Why part of the requested quantity has no leg. */
export const UnfilledReason = {
  /** The books on every venue together hold less than was asked. */
  INSUFFICIENT_LIQUIDITY: 'INSUFFICIENT_LIQUIDITY',
  /** There is more liquidity, but only at prices beyond the limit price. */
  LIMIT_PRICE: 'LIMIT_PRICE',
  /** The liquidity exists, but the venues' steps, minimum quantity or minimum notional leave part of it out. */
  VENUE_RULES: 'VENUE_RULES',
} as const;
export type UnfilledReason = (typeof UnfilledReason)[keyof typeof UnfilledReason];

/** A venue that listed the market but got no leg, and why. */
export interface SkippedVenue {
  readonly venue: string;
  readonly reason: string;
}

export interface RoutePlan {
  readonly side: OrderSide;
  readonly requested: Quantity;
  readonly limitPrice?: Price;
  /** Best fee-adjusted liquidity first; at most one leg per venue. */
  readonly legs: readonly RouteLeg[];
  /** Σ leg quantities; never above `requested`. */
  readonly planned: Quantity;
  /** requested − planned. */
  readonly unfilled: Quantity;
  /** Present when `unfilled` is positive. */
  readonly unfilledReason?: UnfilledReason;
  /**
   * (Σ notional + Σ fees) ÷ planned for a buy, (Σ notional − Σ fees) ÷ planned for a sell: what one
   * unit is expected to cost or bring, fees included. Rounded half-even to AVERAGE_PRICE_EXTRA_DECIMALS
   * beyond the finest tick of the legs; absent when nothing is planned.
   */
  readonly expectedAveragePrice?: FixedDecimal;
  readonly expectedNotional: FixedDecimal;
  readonly expectedFees: FixedDecimal;
  readonly skipped: readonly SkippedVenue[];
}
