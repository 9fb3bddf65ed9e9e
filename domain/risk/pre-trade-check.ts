import type { VenueId } from '../identifiers/index.ts';
import { validateOrder } from '../instruments/index.ts';
import type { Instrument, OrderParameters } from '../instruments/index.ts';
import { exactNotional } from '../orders/index.ts';
import type { OrderSide, OrderType } from '../orders/index.ts';
import { FixedDecimal } from '../values/index.ts';
import type { Price, Quantity } from '../values/index.ts';
import type { ExposureView } from './account-exposure.ts';
import { fullBucket, hasToken, takeToken } from './order-rate-bucket.ts';
import type { OrderRateBucket } from './order-rate-bucket.ts';
import { APPROVED, refused } from './risk-decision.ts';
import type { RiskDecision } from './risk-decision.ts';
import type { RiskLimits } from './risk-limits.ts';
import { venueAssetKey } from './risk-limits.ts';
import { RiskReason } from './risk-reason.ts';

/** The order a pre-trade check looks at. */
export interface ProposedOrder {
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly stopPrice?: Price;
}

/** Everything a pre-trade check reads; it does no I/O. */
export interface PreTradeContext {
  readonly limits: RiskLimits;
  /** The cluster-wide kill switch. */
  readonly clusterKillSwitch: boolean;
  readonly exposure: ExposureView;
  /** Current mid of the order's instrument, when known. */
  readonly mid: Price | undefined;
  /** The account's balance of `asset` on `venue` (open orders not yet deducted); undefined when unknown. */
  readonly balance: (venue: VenueId, asset: string) => FixedDecimal | undefined;
  /** The order-rate bucket before this order; undefined when none was used yet. */
  readonly bucket: OrderRateBucket | undefined;
  readonly nowMs: number;
}

export interface PreTradeResult {
  readonly decision: RiskDecision;
  /** The bucket to keep: one token spent when approved, unchanged otherwise. */
  readonly bucket: OrderRateBucket | undefined;
}

const BPS = 10_000n;

/** The price notional and balance rules value the order at: limit, else stop, else the mid. */
export function valuationPrice(order: ProposedOrder, mid: Price | undefined): Price | undefined {
  return order.price ?? order.stopPrice ?? mid;
}

function checkNotional(order: ProposedOrder, ctx: PreTradeContext, price: Price | undefined): RiskDecision {
  const limit = ctx.limits.maxOrderNotional.get(order.instrument.quoteAsset);
  if (limit === undefined) return APPROVED;
  if (price === undefined) {
    return refused(
      RiskReason.NO_REFERENCE_PRICE,
      `no mid for ${order.instrument.id} to value a ${order.type} order`,
    );
  }
  const notional = exactNotional(price, order.quantity);
  if (notional.lte(FixedDecimal.from(limit))) return APPROVED;
  return refused(
    RiskReason.MAX_ORDER_NOTIONAL,
    `notional ${notional.toString()} ${limit.currency} is above the limit ${limit.toDisplayString()}`,
  );
}

function outsideBand(price: Price, mid: Price, bandBps: number): boolean {
  // |price − mid| / mid > band / 10^4, without division: |price − mid| · 10^4 > band · mid.
  const distance = price.sub(mid).abs();
  return FixedDecimal.from(distance)
    .mul(FixedDecimal.fromRaw(BPS, 0))
    .gt(FixedDecimal.from(mid).mul(FixedDecimal.fromRaw(BigInt(bandBps), 0)));
}

function checkPriceBand(order: ProposedOrder, ctx: PreTradeContext): RiskDecision {
  const band = ctx.limits.priceBandBps;
  if (band === undefined) return APPROVED;
  const prices = [order.price, order.stopPrice].filter((p): p is Price => p !== undefined);
  if (prices.length === 0) return APPROVED;
  const mid = ctx.mid;
  if (mid === undefined || !mid.isPositive()) {
    return refused(
      RiskReason.NO_REFERENCE_PRICE,
      `no mid for ${order.instrument.id} to check the price band`,
    );
  }
  for (const price of prices) {
    if (outsideBand(price, mid, band)) {
      return refused(
        RiskReason.PRICE_BAND,
        `price ${price.toString()} is more than ${band} bps from the mid ${mid.toString()}`,
      );
    }
  }
  return APPROVED;
}

/** Worst case if every open order on the order's side filled, then this one. */
function grown(position: FixedDecimal, open: FixedDecimal, order: ProposedOrder): FixedDecimal {
  const size = FixedDecimal.from(order.quantity).add(open);
  return order.side === 'BUY' ? position.add(size) : position.sub(size);
}

function checkPositions(order: ProposedOrder, ctx: PreTradeContext): RiskDecision {
  const { instrument } = order;
  const { exposure, limits } = ctx;
  const max = limits.maxPosition.get(instrument.id);
  if (max !== undefined) {
    const after = grown(
      exposure.position(instrument.id),
      exposure.openQuantity(instrument.id, order.side),
      order,
    );
    if (after.abs().gt(FixedDecimal.from(max))) {
      return refused(
        RiskReason.MAX_POSITION_INSTRUMENT,
        `position in ${instrument.id} could reach ${after.toString()}, beyond the limit ${max.toString()}`,
      );
    }
  }
  const venueMax = limits.maxVenuePosition.get(venueAssetKey(instrument.venue, instrument.baseAsset));
  if (venueMax !== undefined) {
    const after = grown(
      exposure.venuePosition(instrument.venue, instrument.baseAsset),
      exposure.venueOpenQuantity(instrument.venue, instrument.baseAsset, order.side),
      order,
    );
    if (after.abs().gt(FixedDecimal.from(venueMax))) {
      return refused(
        RiskReason.MAX_POSITION_VENUE,
        `${instrument.baseAsset} position on ${instrument.venue} could reach ${after.toString()}, ` +
          `beyond the limit ${venueMax.toString()}`,
      );
    }
  }
  return APPROVED;
}

function checkBalance(order: ProposedOrder, ctx: PreTradeContext, price: Price | undefined): RiskDecision {
  const { instrument } = order;
  const asset = order.side === 'BUY' ? instrument.quoteAsset : instrument.baseAsset;
  let needed: FixedDecimal;
  if (order.side === 'SELL') needed = FixedDecimal.from(order.quantity);
  else if (price === undefined) {
    return refused(RiskReason.NO_REFERENCE_PRICE, `no mid for ${instrument.id} to value a ${order.type} buy`);
  } else needed = exactNotional(price, order.quantity);
  const balance = ctx.balance(instrument.venue, asset);
  if (balance === undefined) {
    return refused(RiskReason.INSUFFICIENT_BALANCE, `no ${asset} balance is known on ${instrument.venue}`);
  }
  const available = balance.sub(ctx.exposure.reserved(instrument.venue, asset));
  if (available.gte(needed)) return APPROVED;
  return refused(
    RiskReason.INSUFFICIENT_BALANCE,
    `needs ${needed.toString()} ${asset} on ${instrument.venue}; ${available.toString()} available after open orders`,
  );
}

/**
 * Every pre-trade rule for a new order, cheapest first; the first that fails decides. Pure: the
 * same inputs give the same result, and the only thing to keep afterwards is the returned bucket.
 * Cancels are never checked: they only reduce risk and pass even with a kill switch on.
 */
export function checkNewOrder(order: ProposedOrder, ctx: PreTradeContext): PreTradeResult {
  const { limits } = ctx;
  if (ctx.clusterKillSwitch)
    return refusedKeepingBucket(
      ctx,
      refused(RiskReason.KILL_SWITCH, 'the cluster kill switch is on; only cancels pass'),
    );
  if (limits.killSwitch)
    return refusedKeepingBucket(
      ctx,
      refused(RiskReason.KILL_SWITCH, 'the account kill switch is on; only cancels pass'),
    );
  // Built field by field, and the checks below called in turn rather than listed as closures: this
  // runs for every order placed (the spread copies and closures were about 800 bytes per order).
  const parameters: { -readonly [K in keyof OrderParameters]: OrderParameters[K] } = {
    side: order.side,
    type: order.type,
    quantity: order.quantity,
  };
  if (order.price !== undefined) parameters.price = order.price;
  if (order.stopPrice !== undefined) parameters.stopPrice = order.stopPrice;
  if (ctx.mid !== undefined) parameters.referencePrice = ctx.mid;
  const validation = validateOrder(order.instrument, parameters);
  if (!validation.ok) {
    return refusedKeepingBucket(
      ctx,
      refused(RiskReason.INSTRUMENT_FILTER, `${validation.violation.code}: ${validation.violation.message}`),
    );
  }
  if (limits.maxOpenOrders !== undefined && ctx.exposure.openOrderCount >= limits.maxOpenOrders) {
    return refusedKeepingBucket(
      ctx,
      refused(
        RiskReason.MAX_OPEN_ORDERS,
        `${ctx.exposure.openOrderCount} orders open; the limit is ${limits.maxOpenOrders}`,
      ),
    );
  }
  const rate = limits.orderRate;
  const bucket = rate === undefined ? undefined : (ctx.bucket ?? fullBucket(rate, ctx.nowMs));
  if (rate !== undefined && bucket !== undefined && !hasToken(bucket, rate, ctx.nowMs)) {
    return refusedKeepingBucket(
      ctx,
      refused(RiskReason.ORDER_RATE, `more than ${rate.perSecond}/s (burst ${rate.burst}) orders`),
    );
  }
  const price = valuationPrice(order, ctx.mid);
  // Each only while the ones before approved, in this order.
  let decision = checkNotional(order, ctx, price);
  if (decision.approved) decision = checkPriceBand(order, ctx);
  if (decision.approved) decision = checkPositions(order, ctx);
  if (decision.approved) decision = checkBalance(order, ctx, price);
  if (!decision.approved) return refusedKeepingBucket(ctx, decision);
  return {
    decision: APPROVED,
    bucket: rate === undefined || bucket === undefined ? ctx.bucket : takeToken(bucket, rate, ctx.nowMs),
  };
}

/** A refusal: the order takes no token, so the bucket stays as it was. */
function refusedKeepingBucket(ctx: PreTradeContext, decision: RiskDecision): PreTradeResult {
  return { decision, bucket: ctx.bucket };
}
