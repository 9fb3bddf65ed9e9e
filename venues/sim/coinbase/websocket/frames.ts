import type { BookSnapshot, PaperBookEvent, PaperTrade, PaperTradeEvent } from '../../../paper/index.ts';
import { iso } from '../common/format.ts';

/** `l2_data` events of a full book (`snapshot`): bids then offers, best first. */
export function l2Snapshot(productId: string, book: BookSnapshot, time: number): Record<string, unknown> {
  const eventTime = iso(time);
  return {
    type: 'snapshot',
    product_id: productId,
    updates: [
      ...book.bids.map(([p, q]) => ({
        side: 'bid',
        event_time: eventTime,
        price_level: p.toString(),
        new_quantity: q.toString(),
      })),
      ...book.asks.map(([p, q]) => ({
        side: 'offer',
        event_time: eventTime,
        price_level: p.toString(),
        new_quantity: q.toString(),
      })),
    ],
  };
}

/** `l2_data` `update` event: the changed levels with their new absolute quantity ("0" removes). */
export function l2Update(e: PaperBookEvent): Record<string, unknown> {
  const eventTime = iso(e.time);
  return {
    type: 'update',
    product_id: e.instrumentId,
    updates: [
      ...e.bids.map(([p, q]) => ({
        side: 'bid',
        event_time: eventTime,
        price_level: p.toString(),
        new_quantity: q.toString(),
      })),
      ...e.asks.map(([p, q]) => ({
        side: 'offer',
        event_time: eventTime,
        price_level: p.toString(),
        new_quantity: q.toString(),
      })),
    ],
  };
}

/** A `market_trades` trade in the venue's key order; `side` is the maker's side, opposite the taker's. */
export function tradeJson(t: PaperTrade | PaperTradeEvent): Record<string, unknown> {
  return {
    product_id: t.instrumentId,
    trade_id: String(t.tradeId),
    price: t.price.toString(),
    size: t.quantity.toString(),
    time: iso(t.time),
    side: t.takerSide === 'BUY' ? 'SELL' : 'BUY',
  };
}

export function tickerJson(productId: string, price: string, book: BookSnapshot): Record<string, unknown> {
  const bid = book.bids[0];
  const ask = book.asks[0];
  return {
    type: 'ticker',
    product_id: productId,
    price,
    volume_24_h: '0',
    low_24_h: price,
    high_24_h: price,
    low_52_w: price,
    high_52_w: price,
    price_percent_chg_24_h: '0',
    best_bid: bid === undefined ? '' : bid[0].toString(),
    best_ask: ask === undefined ? '' : ask[0].toString(),
    best_bid_quantity: bid === undefined ? '' : bid[1].toString(),
    best_ask_quantity: ask === undefined ? '' : ask[1].toString(),
  };
}

/** The `heartbeats` event; `current_time` in the Go format the venue sends. */
export function heartbeatJson(time: number, counter: number): Record<string, unknown> {
  const text = new Date(time).toISOString().replace('T', ' ').replace('Z', '');
  return {
    current_time: `${text}000000 +0000 UTC m=+${(counter + 0.0001).toFixed(9)}`,
    heartbeat_counter: counter,
  };
}
