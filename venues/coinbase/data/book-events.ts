import { OrderSide } from '../../../domain/orders/index.ts';
import type { InstrumentId } from '../../../domain/identifiers/index.ts';
import type { BookLevel, PublicTrade } from '../../venue-connector.ts';
import type { L2Update, MarketTrade } from '../common/market-data.ts';

/** Splits `l2_data` updates into bid and ask levels, in the order the venue sent them. */
export function splitLevels(updates: readonly L2Update[]): { bids: BookLevel[]; asks: BookLevel[] } {
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (const u of updates) (u.side === 'bid' ? bids : asks).push({ price: u.price, quantity: u.quantity });
  return { bids, asks };
}

/**
 * A `market_trades` trade as a domain PublicTrade. The venue's `side` is the maker's side (as on the
 * legacy Exchange feed's `match`; the simulator follows the same rule), so the aggressor is the other.
 */
export function toPublicTrade(instrumentId: InstrumentId, t: MarketTrade): PublicTrade {
  return {
    instrumentId,
    tradeId: t.tradeId,
    price: t.price,
    quantity: t.size,
    aggressorSide: t.side === 'BUY' ? OrderSide.SELL : OrderSide.BUY,
    timestamp: t.time,
  };
}
