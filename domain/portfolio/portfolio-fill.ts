import type { InstrumentId, TradeId, VenueId } from '../identifiers/index.ts';
import type { LiquiditySide, OrderSide } from '../orders/index.ts';
import type { Money, Price, Quantity } from '../values/index.ts';

/** The parts of an instrument the accounting needs. */
export interface TradedInstrument {
  readonly id: InstrumentId;
  readonly venue: VenueId;
  readonly baseAsset: string;
  readonly quoteAsset: string;
}

/** One execution, as the portfolio books it. `tradeId` is unique per instrument on its venue. */
export interface PortfolioFill {
  readonly instrument: TradedInstrument;
  readonly tradeId: TradeId;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly price: Price;
  /** Commission for this execution (negative for a rebate), in whatever asset the venue charged. */
  readonly fee: Money;
  readonly timestamp: number;
  /**
   * Whether it made or took liquidity, as the venue reported it. Absent in fills booked before the
   * field existed (journals, and wire messages from older nodes).
   */
  readonly liquidity?: LiquiditySide;
}

/**
 * The dedupe key of a fill. Venues number trades per symbol (Binance `id` is per symbol), so the
 * instrument is part of the key: venue + tradeId alone would drop a genuine fill on another symbol.
 * The instrument id already names the venue.
 */
export function fillKey(fill: Pick<PortfolioFill, 'instrument' | 'tradeId'>): string {
  return `${fill.instrument.id}|${fill.tradeId}`;
}
