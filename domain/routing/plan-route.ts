// The smart order router's planner: pure and exact. It merges the books of every venue listing a
// market by fee-adjusted price, takes the best liquidity first, keeps each venue's share on its
// step and within its limits, and says what is left unfilled and why (docs/trading.md).
import { InvalidArgumentError } from '../errors.ts';
import { validateOrder } from '../instruments/index.ts';
import { exactNotional } from '../orders/index.ts';
import type { OrderSide } from '../orders/index.ts';
import { FixedDecimal, MAX_PRECISION, Quantity, RoundingMode } from '../values/index.ts';
import type { Price } from '../values/index.ts';
import { compareFeeAdjusted, feeAdjustedPrice } from './fee-adjusted-price.ts';
import type { FeeAdjustedPrice } from './fee-adjusted-price.ts';
import { UnfilledReason } from './route-plan.ts';
import type {
  RouteLeg,
  RouteLevel,
  RoutePlan,
  RouteRequestInput,
  RouteVenueInput,
  SkippedVenue,
} from './route-plan.ts';

/** Decimals the expected average price carries beyond the finest tick of the legs. */
export const AVERAGE_PRICE_EXTRA_DECIMALS = 8;

interface Candidate {
  readonly venue: number;
  readonly level: RouteLevel;
  readonly key: FeeAdjustedPrice;
}

interface Allocation {
  quantity: Quantity;
  worst: Price | undefined;
  /** Order of the first allocation (legs are listed best liquidity first). */
  rank: number;
}

/** Whether `a` is a better price than `b` for the taker on `side`. */
const better = (side: OrderSide, a: Price, b: Price): boolean => (side === 'BUY' ? a.lt(b) : a.gt(b));

const withinLimit = (side: OrderSide, price: Price, limit: Price | undefined): boolean =>
  limit === undefined || (side === 'BUY' ? price.lte(limit) : price.gte(limit));

/** A venue's usable levels: positive, within the limit, best price first. */
function usableLevels(venue: RouteVenueInput, request: RouteRequestInput): RouteLevel[] {
  return venue.levels
    .filter((l) => l.price.isPositive() && l.quantity.isPositive())
    .filter((l) => withinLimit(request.side, l.price, request.limitPrice))
    .sort((a, b) =>
      better(request.side, a.price, b.price) ? -1 : better(request.side, b.price, a.price) ? 1 : 0,
    );
}

function checkInputs(venues: readonly RouteVenueInput[], request: RouteRequestInput): void {
  if (!request.quantity.isPositive()) {
    throw new InvalidArgumentError(
      'quantity',
      `must be greater than zero, got ${request.quantity.toString()}`,
    );
  }
  if (request.limitPrice !== undefined && !request.limitPrice.isPositive()) {
    throw new InvalidArgumentError(
      'limitPrice',
      `must be greater than zero, got ${request.limitPrice.toString()}`,
    );
  }
  const seen = new Set<string>();
  const [first] = venues;
  for (const [i, v] of venues.entries()) {
    if (seen.has(v.instrument.venue)) {
      throw new InvalidArgumentError(`venues[${i}]`, `venue ${v.instrument.venue} is listed twice`);
    }
    seen.add(v.instrument.venue);
    if (
      first !== undefined &&
      (v.instrument.baseAsset !== first.instrument.baseAsset ||
        v.instrument.quoteAsset !== first.instrument.quoteAsset)
    ) {
      throw new InvalidArgumentError(
        `venues[${i}]`,
        `${v.instrument.id} is ${v.instrument.baseAsset}/${v.instrument.quoteAsset}, not ` +
          `${first.instrument.baseAsset}/${first.instrument.quoteAsset}`,
      );
    }
  }
}

/**
 * One greedy pass over the merged levels of the venues not excluded: each level, best
 * fee-adjusted price first, raises its venue's share to the largest multiple of the venue's step
 * that its levels so far hold, capped by the venue's maximum quantity and what is still wanted.
 */
function allocate(
  venues: readonly RouteVenueInput[],
  levels: readonly (readonly RouteLevel[])[],
  excluded: ReadonlySet<number>,
  request: RouteRequestInput,
): Map<number, Allocation> {
  const candidates: Candidate[] = [];
  for (const [i, venue] of venues.entries()) {
    if (excluded.has(i)) continue;
    for (const level of levels[i] ?? []) {
      candidates.push({
        venue: i,
        level,
        key: feeAdjustedPrice(request.side, level.price, venue.takerFeeRate),
      });
    }
  }
  // Stable: a venue's own levels keep their best-first order; equal prices go to the venue listed first.
  candidates.sort((a, b) => compareFeeAdjusted(a.key, b.key) || a.venue - b.venue);

  const allocations = new Map<number, Allocation>();
  const available = new Map<number, Quantity>();
  let remaining = request.quantity;
  for (const { venue: i, level } of candidates) {
    if (!remaining.isPositive()) break;
    const venue = venues[i];
    if (venue === undefined) continue;
    const step = venue.instrument.stepSize;
    const seen = (available.get(i) ?? Quantity.zero()).add(level.quantity);
    available.set(i, seen);
    const current = allocations.get(i) ?? {
      quantity: Quantity.zero(),
      worst: undefined,
      rank: allocations.size,
    };
    const target = seen
      .min(venue.instrument.maxQuantity)
      .min(current.quantity.add(remaining))
      .roundTo(step, RoundingMode.DOWN);
    if (target.lte(current.quantity)) continue;
    remaining = remaining.sub(target.sub(current.quantity));
    allocations.set(i, { quantity: target, worst: level.price, rank: current.rank });
  }
  return allocations;
}

/** Σ price × quantity over the levels (best first) that `quantity` takes. */
function notionalOf(levels: readonly RouteLevel[], quantity: Quantity): FixedDecimal {
  let left = quantity;
  let total = FixedDecimal.zero();
  for (const level of levels) {
    if (!left.isPositive()) break;
    const take = level.quantity.min(left);
    total = total.add(exactNotional(level.price, take));
    left = left.sub(take);
  }
  return total;
}

function feeOf(notional: FixedDecimal, rate: FixedDecimal): FixedDecimal {
  return notional.mulDecimal(
    rate,
    Math.min(MAX_PRECISION, notional.precision + rate.precision),
    RoundingMode.CEIL,
  );
}

function unfilledReason(
  venues: readonly RouteVenueInput[],
  levels: readonly (readonly RouteLevel[])[],
  request: RouteRequestInput,
): UnfilledReason {
  let withinLimitTotal = Quantity.zero();
  for (const venueLevels of levels)
    for (const l of venueLevels) withinLimitTotal = withinLimitTotal.add(l.quantity);
  if (withinLimitTotal.gte(request.quantity)) return UnfilledReason.VENUE_RULES;
  const beyondLimit = venues.some((v) =>
    v.levels.some(
      (l) =>
        l.price.isPositive() &&
        l.quantity.isPositive() &&
        !withinLimit(request.side, l.price, request.limitPrice),
    ),
  );
  return beyondLimit ? UnfilledReason.LIMIT_PRICE : UnfilledReason.INSUFFICIENT_LIQUIDITY;
}

/**
 * Plans how to take `request.quantity` on `request.side` over `venues` (one entry per venue of the
 * same base/quote market): legs best fee-adjusted liquidity first, each leg valid for its venue's
 * instrument (a venue whose share breaks its minimum quantity or notional is dropped and the
 * plan made again without it), the total never above what is asked. Throws InvalidArgumentError
 * on a non-positive quantity or limit price, a venue listed twice or venues of different markets.
 */
export function planRoute(venues: readonly RouteVenueInput[], request: RouteRequestInput): RoutePlan {
  checkInputs(venues, request);
  const levels = venues.map((v) => usableLevels(v, request));
  const excluded = new Set<number>();
  const skipped: SkippedVenue[] = [];
  let allocations = allocate(venues, levels, excluded, request);
  // Each round drops at least one venue, so this ends after at most venues.length rounds.
  for (;;) {
    let dropped = false;
    for (const [i, a] of allocations) {
      const venue = venues[i];
      if (venue === undefined || a.worst === undefined) continue;
      const check = validateOrder(venue.instrument, {
        side: request.side,
        type: 'LIMIT',
        quantity: a.quantity,
        price: a.worst,
      });
      if (!check.ok) {
        excluded.add(i);
        skipped.push({ venue: venue.instrument.venue, reason: check.violation.message });
        dropped = true;
      }
    }
    if (!dropped) break;
    allocations = allocate(venues, levels, excluded, request);
  }

  const legs: RouteLeg[] = [];
  for (const [i, a] of [...allocations].sort(([, x], [, y]) => x.rank - y.rank)) {
    const venue = venues[i];
    if (venue === undefined || a.worst === undefined) continue;
    const expectedNotional = notionalOf(levels[i] ?? [], a.quantity);
    legs.push(
      Object.freeze({
        accountId: venue.accountId,
        instrument: venue.instrument,
        quantity: a.quantity,
        limitPrice: a.worst,
        expectedNotional,
        expectedFee: feeOf(expectedNotional, venue.takerFeeRate),
      }),
    );
  }
  for (const [i, venue] of venues.entries()) {
    if (excluded.has(i) || allocations.has(i)) continue;
    skipped.push({
      venue: venue.instrument.venue,
      reason:
        (levels[i] ?? []).length === 0
          ? `no ${request.side === 'BUY' ? 'ask' : 'bid'} within the limit price`
          : 'its levels were not needed or held less than one step',
    });
  }

  const planned = legs.reduce((sum, leg) => sum.add(leg.quantity), Quantity.zero());
  const unfilled = request.quantity.sub(planned);
  const expectedNotional = legs.reduce((sum, leg) => sum.add(leg.expectedNotional), FixedDecimal.zero());
  const expectedFees = legs.reduce((sum, leg) => sum.add(leg.expectedFee), FixedDecimal.zero());
  let expectedAveragePrice: FixedDecimal | undefined;
  if (planned.isPositive()) {
    const ticks = Math.max(...legs.map((leg) => leg.instrument.tickSize.precision));
    const gross =
      request.side === 'BUY' ? expectedNotional.add(expectedFees) : expectedNotional.sub(expectedFees);
    expectedAveragePrice = gross.div(
      planned,
      Math.min(MAX_PRECISION, ticks + AVERAGE_PRICE_EXTRA_DECIMALS),
      RoundingMode.HALF_EVEN,
    );
  }
  return Object.freeze({
    side: request.side,
    requested: request.quantity,
    ...(request.limitPrice === undefined ? {} : { limitPrice: request.limitPrice }),
    legs: Object.freeze(legs),
    planned,
    unfilled,
    ...(unfilled.isPositive() ? { unfilledReason: unfilledReason(venues, levels, request) } : {}),
    ...(expectedAveragePrice === undefined ? {} : { expectedAveragePrice }),
    expectedNotional,
    expectedFees,
    skipped: Object.freeze(skipped),
  });
}
