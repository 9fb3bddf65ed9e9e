// A restarted order manager re-publishes its recent fills to the portfolio from its journal, so a
// crash between journaling a fill and publishing it loses nothing even when the venue can no longer
// answer for the order (here: a new venue that never saw it, as the development node's simulators
// after a restart).
import { describe, expect, it } from 'vitest';
import { parseAccountId } from '../../../domain/index.ts';
import { waitFor } from '../../support/index.ts';
import { paperVenue, startTrader, trade, useTraderSuite } from './trading-harness.ts';
import type { Trader } from './trading-harness.ts';

const suite = useTraderSuite();
const { traders } = suite;

async function replays(trader: Trader, source: string, outcome: string): Promise<number> {
  const values =
    (await trader.metrics.registry.getSingleMetric('ninja_orders_fill_replays_total')?.get())?.values ?? [];
  return values
    .filter((v) => v.labels['source'] === source && v.labels['outcome'] === outcome)
    .reduce((sum, v) => sum + v.value, 0);
}

describe('fills re-published on activation', () => {
  it('come from the journal, whether or not the venue still knows the order', async () => {
    const account = parseAccountId('40000000-0000-4000-8000-00000000000a');
    const venue = await paperVenue();
    const first = startTrader(suite.database(), venue, account);
    traders.push(first);
    await first.place({ clientOrderId: 'replay-1', quantity: '1.0000', price: '100.00' });
    await first.place({ clientOrderId: 'replay-2', quantity: '1.0000', price: '100.00' });
    await trade(venue, 'SELL', '1.5000', '100.00', 'cp-1');
    await waitFor(() => first.fills.length === 2, 5_000, 'two fills published');
    await first.stop();
    traders.splice(traders.indexOf(first), 1);

    // The venue the next activation talks to never saw these orders.
    const fresh = await paperVenue();
    const again = startTrader(suite.database(), fresh, account);
    traders.push(again);
    await waitFor(() => again.fills.length === 2, 5_000, 'both fills re-published from the journal');
    // Oldest first, the same trades as first published.
    expect(again.fills.map((f) => f.tradeId)).toEqual(first.fills.map((f) => f.tradeId));
    expect(again.fills.map((f) => f.quantity.toString())).toEqual(
      first.fills.map((f) => f.quantity.toString()),
    );
    expect(await replays(again, 'journal', 'published')).toBe(2);
  }, 60_000);
});
