import type { TradeWire } from '../../actors/book/index.ts';
import type { BookLevel } from '../../venues/venue-connector.ts';
import type { LevelWire } from '../../actors/venue/venue-wire.ts';
import type { MarketTrade, OrderBook } from '../../proto/gen/ninja/v1/market_data.ts';
import { OrderSide } from '../../proto/gen/ninja/v1/order.ts';
import type { InstrumentId } from '../../proto/gen/ninja/v1/instrument.ts';
import { timestampOf } from '../services/proto-mapping.ts';

/** Book levels, as the book actor's wire pairs or domain levels, in proto form (exact decimal text). */
export interface LevelsOf {
  readonly bids: readonly LevelWire[] | readonly BookLevel[];
  readonly asks: readonly LevelWire[] | readonly BookLevel[];
  readonly sequence: number;
  readonly timestamp: number;
}

function levelOf(level: LevelWire | BookLevel) {
  if (isWire(level)) return { price: { value: level[0] }, quantity: { value: level[1] } };
  return { price: { value: level.price.toString() }, quantity: { value: level.quantity.toString() } };
}

function isWire(level: LevelWire | BookLevel): level is LevelWire {
  return Array.isArray(level);
}

export function orderBookMessage(instrumentId: InstrumentId, book: LevelsOf): OrderBook {
  return {
    instrumentId,
    bids: book.bids.map(levelOf),
    asks: book.asks.map(levelOf),
    sequence: BigInt(book.sequence),
    updateTime: timestampOf(book.timestamp),
  };
}

const SIDES: Readonly<Record<string, OrderSide>> = {
  BUY: OrderSide.ORDER_SIDE_BUY,
  SELL: OrderSide.ORDER_SIDE_SELL,
};

export function tradeMessage(instrumentId: InstrumentId, trade: TradeWire): MarketTrade {
  return {
    instrumentId,
    tradeId: trade.tradeId,
    price: { value: trade.price },
    quantity: { value: trade.quantity },
    // The venue wire carries the domain side; anything else is reported as unspecified, not guessed.
    aggressorSide: SIDES[trade.aggressorSide] ?? OrderSide.ORDER_SIDE_UNSPECIFIED,
    tradeTime: timestampOf(trade.timestamp),
  };
}
