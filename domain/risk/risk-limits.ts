import type { InstrumentId, VenueId } from '../identifiers/index.ts';
import type { Money, Quantity } from '../values/index.ts';

/** At most `burst` orders at once, refilled at `perSecond` orders per second. */
export interface OrderRateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * The pre-trade limits of one account. A limit that is absent does not apply (an account with
 * `emptyRiskLimits()` is refused only by the kill switch, the instrument's rules and its balance).
 */
export interface RiskLimits {
  /** When on, only cancels pass. */
  readonly killSwitch: boolean;
  /** Largest price × quantity of one order, per quote currency. */
  readonly maxOrderNotional: ReadonlyMap<string, Money>;
  /** Largest absolute net position per instrument, in its base asset, open orders included. */
  readonly maxPosition: ReadonlyMap<InstrumentId, Quantity>;
  /** Largest absolute net position per venue and base asset (key `venueAssetKey`), open orders included. */
  readonly maxVenuePosition: ReadonlyMap<string, Quantity>;
  readonly maxOpenOrders?: number;
  readonly orderRate?: OrderRateLimit;
  /** Largest distance of a limit or stop price from the current mid, in basis points of the mid. */
  readonly priceBandBps?: number;
}

/** The key of a per-venue, per-asset figure: `binanceus:BTC`. */
export function venueAssetKey(venue: VenueId, asset: string): string {
  return `${venue}:${asset}`;
}

export function emptyRiskLimits(): RiskLimits {
  return Object.freeze({
    killSwitch: false,
    maxOrderNotional: new Map<string, Money>(),
    maxPosition: new Map<InstrumentId, Quantity>(),
    maxVenuePosition: new Map<string, Quantity>(),
  });
}
