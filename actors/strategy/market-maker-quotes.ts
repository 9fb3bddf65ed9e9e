// The market maker's arithmetic, pure and exact: where to quote around the mid given the inventory,
// and when the mid has moved far enough to re-quote. No I/O, no floats.
import { InvalidArgumentError } from '../../domain/errors.ts';
import { OrderSide } from '../../domain/index.ts';
import type { Price } from '../../domain/values/index.ts';
import { FixedDecimal, Quantity, RoundingMode } from '../../domain/values/index.ts';

/** Basis points per unit (1 bp = 0.01 %). */
const BPS = FixedDecimal.parse('10000');
/** Decimals of the intermediate ratios (inventory fraction, bps factors): exact enough, bounded. */
const RATIO_PRECISION = 8;

export interface QuoteParams {
  /** Distance of each quote from the (skewed) centre, in basis points of the mid; > 0. */
  readonly halfSpreadBps: number;
  /** How far the centre moves against the inventory when it is at its limit, in bps; ≥ 0. */
  readonly skewBpsAtLimit: number;
  /** Size of each quote (rounded down to the step). */
  readonly quoteSize: Quantity;
  /** Largest absolute position: a side that would pass it is shrunk or not quoted. */
  readonly maxPosition: Quantity;
  readonly tick: Price;
  readonly step: Quantity;
  /** The venue's minimum order value in the quote asset: a side worth less is not quoted. */
  readonly minNotional?: FixedDecimal;
}

export interface Quote {
  readonly side: OrderSide;
  readonly price: Price;
  readonly quantity: Quantity;
}

/** What to quote now: either side may be absent (inventory at its limit). */
export interface Quotes {
  readonly mid: Price;
  readonly bid?: Quote;
  readonly ask?: Quote;
}

function positiveInteger(value: number, field: string, allowZero: boolean): void {
  if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidArgumentError(
      field,
      `must be a whole number of basis points ${allowZero ? '≥ 0' : '> 0'}, got ${value}`,
    );
  }
}

/** Throws InvalidArgumentError naming the first bad parameter. */
export function validateQuoteParams(p: QuoteParams): void {
  positiveInteger(p.halfSpreadBps, 'halfSpreadBps', false);
  positiveInteger(p.skewBpsAtLimit, 'skewBpsAtLimit', true);
  if (!p.tick.isPositive()) throw new InvalidArgumentError('tick', `must be > 0, got ${p.tick.toString()}`);
  if (!p.step.isPositive()) throw new InvalidArgumentError('step', `must be > 0, got ${p.step.toString()}`);
  if (p.quoteSize.roundTo(p.step, RoundingMode.FLOOR).isZero()) {
    throw new InvalidArgumentError('quoteSize', `must be at least one step (${p.step.toString()})`);
  }
  if (!p.maxPosition.isPositive()) {
    throw new InvalidArgumentError('maxPosition', `must be > 0, got ${p.maxPosition.toString()}`);
  }
}

/** The mid of a two-sided market, at one more decimal than the prices so it is exact. */
export function midOf(bid: Price, ask: Price): Price {
  if (!bid.lt(ask)) {
    throw new InvalidArgumentError(
      'book',
      `is crossed or locked: bid ${bid.toString()} ≥ ask ${ask.toString()}`,
    );
  }
  const precision = Math.max(bid.precision, ask.precision) + 1;
  return bid.add(ask).div(FixedDecimal.parse('2'), precision, RoundingMode.HALF_EVEN);
}

/** position ÷ maxPosition, clamped to [-1, 1]. */
function inventoryRatio(position: FixedDecimal, maxPosition: Quantity): FixedDecimal {
  const ratio = position.div(maxPosition, RATIO_PRECISION, RoundingMode.HALF_EVEN);
  const one = FixedDecimal.parse('1');
  return ratio.max(one.neg()).min(one);
}

/** 1 + bps / 10000 (bps may be negative), at RATIO_PRECISION decimals. */
function bpsFactor(bps: FixedDecimal): FixedDecimal {
  return FixedDecimal.parse('1').add(bps.div(BPS, RATIO_PRECISION, RoundingMode.HALF_EVEN));
}

/** How much of `size` may trade toward `room` (the distance to the position limit), in steps. */
function sizeWithin(size: Quantity, room: FixedDecimal, step: Quantity): Quantity | undefined {
  if (!room.isPositive()) return undefined;
  const roomQuantity = Quantity.from(room);
  const quantity = size.min(roomQuantity).roundTo(step, RoundingMode.FLOOR);
  return quantity.isZero() ? undefined : quantity;
}

/**
 * A bid and an ask around the mid of `bid`/`ask`. The centre is skewed against the inventory
 * (long → both quotes lower, so the ask is likelier to trade), each quote sits `halfSpreadBps`
 * from the centre, the bid rounded down and the ask up to the tick (never crossing each other),
 * and a side is shrunk or left out so that a fill can never take |position| past `maxPosition`
 * (or left out when what remains is worth less than `minNotional`).
 */
export function computeQuotes(
  top: { readonly bid: Price; readonly ask: Price },
  position: FixedDecimal,
  p: QuoteParams,
): Quotes {
  const mid = midOf(top.bid, top.ask);
  const skewBps = inventoryRatio(position, p.maxPosition).mulDecimal(
    FixedDecimal.parse(String(p.skewBpsAtLimit)),
  );
  const centre = mid.mulDecimal(
    bpsFactor(skewBps.neg()),
    mid.precision + RATIO_PRECISION,
    RoundingMode.HALF_EVEN,
  );
  const half = FixedDecimal.parse(String(p.halfSpreadBps));
  let bidPrice = centre
    .mulDecimal(bpsFactor(half.neg()), centre.precision, RoundingMode.FLOOR)
    .roundTo(p.tick, RoundingMode.FLOOR);
  const askPrice = centre
    .mulDecimal(bpsFactor(half), centre.precision, RoundingMode.CEIL)
    .roundTo(p.tick, RoundingMode.CEIL);
  if (!bidPrice.lt(askPrice)) bidPrice = askPrice.sub(p.tick);
  const limit = FixedDecimal.from(p.maxPosition);
  // A side shrunk below the venue's minimum order value would only be refused: leave it out.
  const worthQuoting = (size: Quantity | undefined, price: Price): Quantity | undefined =>
    size === undefined || p.minNotional === undefined || !FixedDecimal.from(price).mul(size).lt(p.minNotional)
      ? size
      : undefined;
  const bidSize = worthQuoting(sizeWithin(p.quoteSize, limit.sub(position), p.step), bidPrice);
  const askSize = worthQuoting(sizeWithin(p.quoteSize, limit.add(position), p.step), askPrice);
  return {
    mid,
    ...(bidSize === undefined || !bidPrice.isPositive()
      ? {}
      : { bid: { side: OrderSide.BUY, price: bidPrice, quantity: bidSize } }),
    ...(askSize === undefined ? {} : { ask: { side: OrderSide.SELL, price: askPrice, quantity: askSize } }),
  };
}

/** True when `mid` is more than `thresholdBps` away from the mid the live quotes were made for. */
export function midMoved(quotedMid: Price, mid: Price, thresholdBps: number): boolean {
  positiveInteger(thresholdBps, 'requoteThresholdBps', true);
  const distance = mid.sub(quotedMid).abs().mulDecimal(BPS);
  return distance.gt(quotedMid.mulDecimal(FixedDecimal.parse(String(thresholdBps))));
}
