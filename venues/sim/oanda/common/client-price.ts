import type { MatchingEngine } from '../../../paper/index.ts';
import { rfc3339 } from './format.ts';
import type { SimInstrument } from './instruments.ts';

const DEPTH = 4;

/**
 * The ClientPrice of an instrument from the engine book: up to four levels a side with their
 * liquidity in whole units, closeout prices at the outermost level shown. An empty side is shown
 * empty with the other side's best (or the reference price) as its closeout price.
 */
export function clientPrice(
  engine: MatchingEngine,
  i: SimInstrument,
  now: number,
  halted: boolean,
): Record<string, unknown> {
  const book = engine.book(i.name, DEPTH);
  const level = ([price, quantity]: readonly [
    { toFixed(p: number): string },
    { toFixed(p: number): string },
  ]): Record<string, unknown> => ({
    price: price.toFixed(i.displayPrecision),
    liquidity: Number(quantity.toFixed(0)),
  });
  const bids = book.bids.map(level);
  const asks = book.asks.map(level);
  const fallback = i.referencePrice.toFixed(i.displayPrecision);
  const lastBid = book.bids[book.bids.length - 1]?.[0].toFixed(i.displayPrecision);
  const lastAsk = book.asks[book.asks.length - 1]?.[0].toFixed(i.displayPrecision);
  return {
    type: 'PRICE',
    time: rfc3339(now),
    bids,
    asks,
    closeoutBid: lastBid ?? lastAsk ?? fallback,
    closeoutAsk: lastAsk ?? lastBid ?? fallback,
    status: halted ? 'non-tradeable' : 'tradeable',
    tradeable: !halted,
    instrument: i.name,
  };
}
