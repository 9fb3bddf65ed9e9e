import type { InstrumentId } from '../../../domain/identifiers/index.ts';
import type { MarketDataEvent } from '../../venue-connector.ts';
import { parseMessage } from '../common/parse-messages.ts';
import { splitLevels, toPublicTrade } from './book-events.ts';

/**
 * One market-data frame (text) → domain events: `l2_data` snapshot/update events as book snapshots /
 * deltas (sequence 0: the feed numbers them), `market_trades` updates as trades. Other channels give
 * an empty list; products `instrumentOf` does not know are skipped. Malformed frames throw.
 */
export function normaliseMarketFrame(
  text: string,
  instrumentOf: (productId: string) => InstrumentId | undefined,
): MarketDataEvent[] {
  const message = parseMessage(text);
  const out: MarketDataEvent[] = [];
  if (message.channel === 'l2_data') {
    for (const event of message.events) {
      const instrumentId = instrumentOf(event.productId);
      if (instrumentId === undefined) continue;
      const { bids, asks } = splitLevels(event.updates);
      const book = { instrumentId, sequence: 0, bids, asks, timestamp: message.timestamp };
      out.push(event.type === 'snapshot' ? { kind: 'snapshot', book } : { kind: 'delta', delta: book });
    }
  } else if (message.channel === 'market_trades') {
    for (const event of message.events) {
      for (const trade of event.trades) {
        const instrumentId = instrumentOf(trade.productId);
        if (instrumentId !== undefined)
          out.push({ kind: 'trade', trade: toPublicTrade(instrumentId, trade) });
      }
    }
  }
  return out;
}
