// Follow an order book as an async iterator. The stream reconnects by itself after a broken
// connection (and starts again with a snapshot); stop it with `break` or an AbortSignal.
import { NinjaClient, UnimplementedError } from '../index.ts';
import type { OrderBookEvent } from '../index.ts';
import type { Example } from './example-runner.ts';
import { required, runIfMain } from './example-runner.ts';

export const streamOrderBook: Example<{ events: OrderBookEvent[]; unavailable: string | undefined }> = async (
  settings,
  print,
) => {
  const client = new NinjaClient({
    address: settings.gateway,
    apiKey: required(settings.apiKey, 'NINJA_API_KEY'),
    streamResume: {
      onReconnect: ({ attempt, error }) => print(`reconnecting (${String(attempt)}): ${error.message}`),
    },
  });
  const events: OrderBookEvent[] = [];
  try {
    for await (const event of client.marketData.orderBook('BTC-USD.PAPER', 5, AbortSignal.timeout(10_000))) {
      const best = event.book.bids[0];
      print(
        `${event.type} #${event.book.sequence.toString()} best bid ${best?.price ?? '-'} × ${best?.quantity ?? '-'}`,
      );
      events.push(event);
      if (events.length === 3) break;
    }
    return { events, unavailable: undefined };
  } catch (error) {
    if (!(error instanceof UnimplementedError)) throw error;
    print(`not served by this gateway yet: ${error.message}`);
    return { events, unavailable: error.message };
  } finally {
    client.close();
  }
};

await runIfMain(import.meta.url, streamOrderBook);
