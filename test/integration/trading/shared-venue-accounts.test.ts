import { describe, expect, it } from 'vitest';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import { parseAccountId, parseClientOrderId } from '../../../domain/index.ts';
import { waitFor } from '../../support/index.ts';
import { OUR_ACCOUNT, paperVenue, startTrader, trade, useTraderSuite } from './trading-harness.ts';
import type { Trader } from './trading-harness.ts';

const A = parseAccountId('30000000-0000-4000-8000-00000000000a');
const B = parseAccountId('30000000-0000-4000-8000-00000000000b');

const suite = useTraderSuite();
const { traders } = suite;

async function counted(trader: Trader, outcome: string): Promise<number> {
  const values =
    (await trader.metrics.registry.getSingleMetric('ninja_orders_venue_events_total')?.get())?.values ?? [];
  return values.filter((v) => v.labels['outcome'] === outcome).reduce((sum, v) => sum + v.value, 0);
}

describe('two accounts through one venue connection', () => {
  it('keep their orders apart: same client order id, reconciliation and executions per account', async () => {
    const venue = await paperVenue();
    // Both reconcile on every pass with the policy that would take over or cancel unknown orders.
    const a = startTrader(suite.database(), venue, A, { unknownOrders: 'cancel' });
    const b = startTrader(suite.database(), venue, B, { unknownOrders: 'adopt' });
    traders.push(a, b);

    const orderA = await a.place({ clientOrderId: 'same-1', quantity: '1.0000', price: '100.00' });
    const orderB = await b.place({ clientOrderId: 'same-1', quantity: '1.0000', price: '100.00' });
    expect(orderA.status).toBe('ACKNOWLEDGED');
    expect(orderB.status).toBe('ACKNOWLEDGED');
    expect(orderA.clientOrderId).toBe('same-1');
    expect(orderA.venueOrderId).not.toBe(orderB.venueOrderId);

    // The venue sees two orders with two deterministic, account-tagged ids within 36 characters.
    const venueIds = (await venue.connector.openOrders()).map((o) => o.clientOrderId).sort();
    const same = parseClientOrderId('same-1');
    expect(venueIds).toEqual([venueClientOrderId(A, same), venueClientOrderId(B, same)].sort());
    for (const id of venueIds) expect(id).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
    expect(venueClientOrderId(A, same)).toBe(venueClientOrderId(A, same));

    // Reconciliation of each sees only its own order: nothing adopted, nothing cancelled.
    const reportA = await a.reconcile();
    const reportB = await b.reconcile();
    expect(reportA.repairs).toEqual({});
    expect(reportB.repairs).toEqual({});
    expect(reportA.ordersChecked).toBe(1);
    expect(reportB.ordersChecked).toBe(1);
    expect(venue.engine.openOrders(OUR_ACCOUNT)).toHaveLength(2);
    expect((await a.list()).map((o) => o.clientOrderId)).toEqual(['same-1']);
    expect((await b.list()).map((o) => o.clientOrderId)).toEqual(['same-1']);

    // A counterparty takes A's order (first in time): only A books the fill, B ignores and counts it.
    await trade(venue, 'SELL', '1.0000', '100.00', 'cp-1');
    await waitFor(async () => (await a.get('same-1'))?.status === 'FILLED', 5_000, "A's fill");
    await waitFor(
      async () => (await counted(b, 'other-account')) > 0,
      5_000,
      'B counting the foreign execution',
    );
    expect(a.fills).toHaveLength(1);
    expect(b.fills).toHaveLength(0);
    expect((await b.get('same-1'))?.status).toBe('ACKNOWLEDGED');

    // B's cancel reaches B's venue order only.
    await b.cancel('same-1');
    await waitFor(async () => (await b.get('same-1'))?.status === 'CANCELLED', 5_000, "B's cancel");
    expect((await a.get('same-1'))?.status).toBe('FILLED');
    expect(venue.engine.openOrders(OUR_ACCOUNT)).toHaveLength(0);

    // A restarted order manager re-publishes its recent journaled fills (the portfolio dedupes).
    await a.stop();
    traders.splice(traders.indexOf(a), 1);
    const again = startTrader(suite.database(), venue, A);
    traders.push(again);
    await waitFor(() => again.fills.length === 1, 5_000, 'the fill re-published after recovery');
    expect(again.fills[0]?.tradeId).toBe(a.fills[0]?.tradeId);
  }, 60_000);
});
