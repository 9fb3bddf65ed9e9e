// Issue 6 acceptance: "a property test shows no order that violates a limit ever reaches a venue".
// Random limits and random sequences of places, cancels and counterparty trades go through the
// order manager (journal in PostgreSQL) to the paper venue. Every placement that reaches the venue
// is checked, at that moment, against the limits recomputed with decimal.js from the VENUE's state
// (our open orders and fills there), independently of the manager's own exposure figures.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import {
  RiskRejectedError,
  emptyRiskLimits,
  parseAccountId,
  parseClientOrderId,
  updateRiskLimits,
} from '../../../domain/index.ts';
import type { AccountId, OrderRequest } from '../../../domain/index.ts';
import type { PlacementResult } from '../../../venues/venue-connector.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  BTC,
  OUR_ACCOUNT,
  SwitchableEndpoint,
  migratedDatabase,
  paperVenue,
  startTrader,
  trade,
} from './trading-harness.ts';
import type { Trader, Venue } from './trading-harness.ts';

/** The mid the harness gives the order manager's risk check. */
const MID = new Decimal('100.00');

/** Each limit set or not (null), so that every one of them gets to be the binding one. */
interface Limits {
  readonly maxOpenOrders: number | null;
  readonly maxOrderNotional: string | null;
  readonly priceBandBps: number | null;
  readonly maxPosition: string | null;
}

/** The paper venue behind a spy that checks each arriving placement against the limits. */
class CheckingEndpoint extends SwitchableEndpoint {
  readonly seen: string[] = [];
  readonly violations: string[] = [];
  constructor(
    private readonly paper: Venue,
    private readonly limits: Limits,
  ) {
    super(paper.connector);
  }

  override placeOrder(request: OrderRequest): Promise<PlacementResult> {
    this.check(request);
    this.seen.push(request.clientOrderId);
    return super.placeOrder(request);
  }

  private check(request: OrderRequest): void {
    const { engine } = this.paper;
    const open = engine.openOrders(OUR_ACCOUNT);
    let position = new Decimal(0);
    for (const id of this.seen) {
      const order = engine.getOrder(OUR_ACCOUNT, { clientOrderId: id });
      if (order === undefined) continue;
      const filled = new Decimal(order.filledQuantity.toString());
      position = order.side === 'BUY' ? position.add(filled) : position.sub(filled);
    }
    const quantity = new Decimal(request.quantity.toString());
    const price = new Decimal(request.price?.toString() ?? '0');
    const problems: string[] = [];
    const { maxOpenOrders, maxOrderNotional, priceBandBps, maxPosition } = this.limits;
    if (maxOpenOrders !== null && open.length >= maxOpenOrders)
      problems.push(`${String(open.length)} open orders, limit ${String(maxOpenOrders)}`);
    if (maxOrderNotional !== null && price.mul(quantity).gt(maxOrderNotional))
      problems.push(`notional ${price.mul(quantity).toString()} > ${maxOrderNotional}`);
    if (priceBandBps !== null && price.sub(MID).abs().mul(10_000).gt(MID.mul(priceBandBps)))
      problems.push(
        `price ${price.toString()} outside ${String(this.limits.priceBandBps)} bps of ${MID.toString()}`,
      );
    const sameSide = open
      .filter((o) => o.side === request.side)
      .reduce(
        (sum, o) => sum.add(new Decimal(o.quantity.toString()).sub(o.filledQuantity.toString())),
        new Decimal(0),
      );
    const after =
      request.side === 'BUY' ? position.add(sameSide).add(quantity) : position.sub(sameSide).sub(quantity);
    if (maxPosition !== null && after.abs().gt(maxPosition))
      problems.push(`position could reach ${after.toString()}, limit ${maxPosition}`);
    if (problems.length > 0)
      this.violations.push(
        `${request.side} ${quantity.toString()} @ ${price.toString()}: ${problems.join('; ')}`,
      );
  }
}

type Action =
  | { readonly kind: 'place'; readonly side: 'BUY' | 'SELL'; readonly steps: number; readonly ticks: number }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'trade'; readonly side: 'BUY' | 'SELL'; readonly steps: number };

const sideArb = fc.constantFrom('BUY' as const, 'SELL' as const);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      side: sideArb,
      steps: fc.integer({ min: 2, max: 80 }),
      ticks: fc.integer({ min: -800, max: 800 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      side: sideArb,
      steps: fc.integer({ min: 2, max: 60 }),
    }),
  },
);
const limitsArb: fc.Arbitrary<Limits> = fc.record({
  maxOpenOrders: fc.option(fc.integer({ min: 1, max: 5 })),
  maxOrderNotional: fc.option(fc.integer({ min: 20, max: 600 }).map(String)),
  priceBandBps: fc.option(fc.integer({ min: 10, max: 500 })),
  maxPosition: fc.option(fc.integer({ min: 5, max: 150 }).map((n) => (n / 100).toFixed(2))),
});

let database: TestDatabase;
let runs = 0;
let reached = 0;
let refused = 0;

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Waits until the manager has applied everything the venue did to our orders (fills, cancels). */
async function settled(trader: Trader, account: AccountId, venue: Venue): Promise<void> {
  const until = Date.now() + 5_000;
  for (;;) {
    const ours = await trader.list();
    const behind = ours.filter((o) => {
      const atVenue = venue.engine.getOrder(OUR_ACCOUNT, {
        clientOrderId: venueClientOrderId(account, parseClientOrderId(o.clientOrderId)),
      });
      if (atVenue === undefined) return o.status !== 'REJECTED';
      return (
        atVenue.filledQuantity.toString() !== o.filledQuantity.toString() ||
        (atVenue.status === 'CANCELED') !== (o.status === 'CANCELLED')
      );
    });
    if (behind.length === 0) return;
    if (Date.now() > until)
      throw new Error(`manager behind the venue: ${behind.map((o) => o.clientOrderId).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('risk in the order path (seeded property)', () => {
  it('never lets an order that breaks a limit reach the venue', async () => {
    await fc.assert(
      fc.asyncProperty(
        limitsArb,
        fc.array(actionArb, { minLength: 4, maxLength: 16 }),
        async (limits, actions) => {
          runs += 1;
          const account = parseAccountId(`30000000-0000-4000-8000-${String(runs).padStart(12, '0')}`);
          const paper = await paperVenue();
          const endpoint = new CheckingEndpoint(paper, limits);
          const venue: Venue = { ...paper, endpoint };
          const trader = startTrader(database, venue, account, {
            // null removes a limit (updateRiskLimits), so the drawn limits pass through as they are.
            limits: updateRiskLimits(emptyRiskLimits(), {
              maxOpenOrders: limits.maxOpenOrders,
              maxOrderNotional: { USD: limits.maxOrderNotional },
              priceBandBps: limits.priceBandBps,
              maxPosition: { [BTC.id]: limits.maxPosition },
            }),
          });
          const placed: string[] = [];
          try {
            await trader.reconcile();
            for (const [n, action] of actions.entries()) {
              if (action.kind === 'place') {
                const id = `r${String(runs)}-${String(n)}`;
                const price = new Decimal(100).add(new Decimal(action.ticks).div(100)).toFixed(2);
                const outcome = await trader
                  .place({
                    clientOrderId: id,
                    side: action.side,
                    quantity: (action.steps / 100).toFixed(4),
                    price,
                  })
                  .then(
                    () => 'placed',
                    (error: unknown) => {
                      if (error instanceof RiskRejectedError) return 'refused';
                      throw error;
                    },
                  );
                if (outcome === 'placed') {
                  placed.push(id);
                  reached += 1;
                } else refused += 1;
              } else if (action.kind === 'cancel' && placed.length > 0) {
                await trader.cancel(placed[action.pick % placed.length] ?? '');
              } else if (action.kind === 'trade') {
                const price = action.side === 'BUY' ? '120.00' : '80.00';
                await trade(
                  venue,
                  action.side,
                  (action.steps / 100).toFixed(4),
                  price,
                  `t${String(runs)}-${String(n)}`,
                );
              }
              await settled(trader, account, venue);
            }
            expect(endpoint.violations, JSON.stringify(limits)).toEqual([]);
          } finally {
            await trader.stop();
          }
        },
      ),
      { numRuns: 30, seed: 6_006 },
    );
    // Not vacuous: orders both reached the venue and were refused across the runs.
    expect(reached).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  }, 120_000);
});
