// Seeded random sequences of place / cancel / counterparty trade / crash-and-restart against the
// paper venue; after a final reconciliation our record must equal the venue's, order by order.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import { parseAccountId } from '../../../domain/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { BTC, OUR_ACCOUNT, migratedDatabase, paperVenue, startTrader, trade } from './trading-harness.ts';
import type { PlacementMode, Trader } from './trading-harness.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  await database.drop();
});

type Action =
  | { readonly kind: 'place'; readonly side: 'BUY' | 'SELL'; readonly steps: number; readonly ticks: number }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'trade'; readonly side: 'BUY' | 'SELL'; readonly steps: number }
  | { readonly kind: 'crash'; readonly mode: PlacementMode };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('place' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    steps: fc.integer({ min: 1, max: 50 }),
    ticks: fc.integer({ min: -3, max: 3 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('trade' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    // At least 0.02 so the counterparty clears the 1 USD minimum notional.
    steps: fc.integer({ min: 2, max: 50 }),
  }),
  fc.record({
    kind: fc.constant('crash' as const),
    mode: fc.constantFrom<PlacementMode>('normal', 'lost-before-venue', 'lost-after-venue'),
  }),
);

let runs = 0;

describe('order manager (seeded property)', () => {
  it('ends every random place/cancel/fill/restart sequence in exactly the venue truth', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 3, maxLength: 14 }), async (actions) => {
        runs += 1;
        const account = parseAccountId(`20000000-0000-4000-8000-${String(runs).padStart(12, '0')}`);
        const venue = await paperVenue();
        let trader: Trader = startTrader(database, venue, account);
        const placed: string[] = [];
        let n = 0;
        try {
          for (const action of actions) {
            n += 1;
            if (action.kind === 'place') {
              const id = `p${runs}-${n}`;
              placed.push(id);
              const price = (100 + action.ticks).toFixed(2);
              const pending = trader.place({
                clientOrderId: id,
                side: action.side,
                quantity: (action.steps / 100).toFixed(4),
                price,
              });
              if (venue.endpoint.mode === 'normal') await pending.catch(() => undefined);
              else void pending.catch(() => undefined);
            } else if (action.kind === 'cancel' && placed.length > 0) {
              await trader.cancel(placed[action.pick % placed.length] ?? '').catch(() => undefined);
            } else if (action.kind === 'trade') {
              const price = action.side === 'BUY' ? '103.00' : '97.00';
              await trade(venue, action.side, (action.steps / 100).toFixed(4), price, `t${runs}-${n}`);
            } else if (action.kind === 'crash') {
              await new Promise((resolve) => setTimeout(resolve, 20));
              await trader.stop();
              venue.endpoint.mode = 'normal';
              trader = startTrader(database, venue, account);
              venue.endpoint.mode = action.mode;
            }
          }
          venue.endpoint.mode = 'normal';
          await trader.stop();
          trader = startTrader(database, venue, account);
          // Let the recovery pass and any follow-up queries finish, then one more pass to settle.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await trader.reconcile();
          await new Promise((resolve) => setTimeout(resolve, 100));
          const ours = await trader.list();
          for (const order of ours) {
            const atVenue = await venue.connector.getOrder({
              instrumentId: BTC.id,
              clientOrderId: venueClientOrderId(account, order.clientOrderId),
            });
            if (atVenue === undefined) {
              expect(order.status).toBe('REJECTED');
              continue;
            }
            expect(order.filledQuantity.toString()).toBe(atVenue.filledQuantity.toString());
            const venueFills = await venue.connector.orderFills({
              instrumentId: BTC.id,
              clientOrderId: venueClientOrderId(account, order.clientOrderId),
            });
            expect([...order.tradeIds].sort()).toEqual(venueFills.map((f) => f.tradeId).sort());
            const open = atVenue.status === 'ACKNOWLEDGED' || atVenue.status === 'PARTIALLY_FILLED';
            expect(['ACKNOWLEDGED', 'PARTIALLY_FILLED', 'PENDING_CANCEL'].includes(order.status)).toBe(open);
          }
          // No venue order we do not track, and never two venue orders for one client order id.
          const venueOpen = venue.engine.openOrders(OUR_ACCOUNT).length;
          expect(
            ours.filter((o) => ['ACKNOWLEDGED', 'PARTIALLY_FILLED', 'PENDING_CANCEL'].includes(o.status)),
          ).toHaveLength(venueOpen);
        } finally {
          await trader.stop();
        }
      }),
      { numRuns: 25, seed: 1_126 },
    );
  });
});
