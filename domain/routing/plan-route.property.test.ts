// Property: whatever the books, fees and venue rules, a plan never asks for more than requested,
// every leg is an order its venue accepts, and no better fee-adjusted level is left unused while a
// worse one is taken (unless the venue's step, maximum or the requested total stops it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateOrder } from '../instruments/index.ts';
import type { OrderSide } from '../orders/index.ts';
import { Price, Quantity, RoundingMode } from '../values/index.ts';
import { compareFeeAdjusted, feeAdjustedPrice } from './fee-adjusted-price.ts';
import { planRoute } from './plan-route.ts';
import type { RouteVenueInput } from './route-plan.ts';
import { btcUsdOn, levels, venueInput } from './test-support.ts';

const VENUES = ['paper', 'binanceus', 'coinbase', 'kraken'] as const;
const ticks = ['0.01', '0.1', '1'] as const;
const steps = ['0.1', '0.01', '0.0001', '0.00001'] as const;
const fees = ['0', '0.001', '0.002', '0.006', '-0.0001'] as const;

const venueArb = (name: string) =>
  fc
    .record({
      tick: fc.constantFrom(...ticks),
      step: fc.constantFrom(...steps),
      minSteps: fc.integer({ min: 1, max: 5 }),
      maxQuantity: fc.constantFrom('1000', '2', '0.5'),
      minNotional: fc.constantFrom('0', '1', '10', '50'),
      fee: fc.constantFrom(...fees),
      // Prices a few ticks above 100, close enough that fees reorder venues, quantities in 0.00001 units.
      book: fc.array(
        fc.record({
          ticksAway: fc.integer({ min: 0, max: 60 }),
          units: fc.integer({ min: 1, max: 150_000 }),
        }),
        { maxLength: 6 },
      ),
    })
    .map((v): RouteVenueInput => {
      const tick = Price.parse(v.tick);
      const base = Price.parse('100');
      const step = Quantity.parse(v.step);
      const instrument = btcUsdOn(name, name === 'binanceus' ? 'BTCUSD' : 'BTC-USD', {
        tick: v.tick,
        step: v.step,
        minQuantity: step.mulDecimal(Quantity.parse(String(v.minSteps))).toString(),
        maxQuantity: v.maxQuantity,
        minNotional: v.minNotional,
      });
      const book = v.book.map(
        ({ ticksAway, units }) =>
          [
            base.add(tick.mulDecimal(Price.parse(String(ticksAway)))).toString(),
            Quantity.fromRaw(BigInt(units), 5).toString(),
          ] as const,
      );
      return venueInput(instrument, v.fee, levels(...book));
    });

const scenarioArb = fc.record({
  venues: fc.subarray([...VENUES], { minLength: 1 }).chain((names) => fc.tuple(...names.map(venueArb))),
  side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
  quantity: fc.integer({ min: 1, max: 200_000 }).map((units) => Quantity.fromRaw(BigInt(units), 5)),
  limitTicks: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

const GENERIC_SKIPS =
  /^(no (ask|bid) within the limit price|its levels were not needed or held less than one step)$/;

describe('planRoute (property)', () => {
  it('never exceeds the request, makes only valid legs, and leaves no better level unused', () => {
    fc.assert(
      fc.property(scenarioArb, ({ venues, side, quantity, limitTicks }) => {
        const limitPrice =
          limitTicks === undefined
            ? undefined
            : Price.parse('100').add(Price.parse('0.1').mulDecimal(Price.parse(String(limitTicks))));
        const plan = planRoute(venues, {
          side,
          quantity,
          ...(limitPrice === undefined ? {} : { limitPrice }),
        });
        const inLimit = (p: Price) =>
          limitPrice === undefined || (side === 'BUY' ? p.lte(limitPrice) : p.gte(limitPrice));
        const atLeastAsGood = (p: Price, worst: Price) => (side === 'BUY' ? p.lte(worst) : p.gte(worst));

        // Total ≤ requested, and the accounting adds up.
        expect(plan.planned.lte(quantity)).toBe(true);
        expect(plan.planned.add(plan.unfilled).eq(quantity)).toBe(true);
        expect(plan.unfilledReason !== undefined).toBe(plan.unfilled.isPositive());

        const byVenue = new Map(venues.map((v) => [v.instrument.venue as string, v]));
        const alloc = new Map<string, Quantity>();
        for (const leg of plan.legs) {
          const venue = byVenue.get(leg.instrument.venue);
          expect(venue).toBeDefined();
          if (venue === undefined) continue;
          alloc.set(leg.instrument.venue, leg.quantity);
          // Valid for its instrument (step, min/max quantity, tick, min notional at the leg's price).
          expect(
            validateOrder(leg.instrument, {
              side,
              type: 'LIMIT',
              quantity: leg.quantity,
              price: leg.limitPrice,
            }).ok,
          ).toBe(true);
          // Its limit price is a level of the venue within the request's limit, and those levels hold its quantity.
          expect(venue.levels.some((l) => l.price.eq(leg.limitPrice))).toBe(true);
          expect(inLimit(leg.limitPrice)).toBe(true);
          const held = venue.levels
            .filter((l) => atLeastAsGood(l.price, leg.limitPrice))
            .reduce((sum, l) => sum.add(l.quantity), Quantity.zero());
          expect(leg.quantity.lte(held)).toBe(true);
        }

        // No unused better level. A level L of a venue the plan did not drop for its rules is either
        // used as far as that venue's step and maximum allow, or what the plan takes at levels
        // worse than L (net of fees), on any venue, is less than one step of L's venue.
        const dropped = new Set(
          plan.skipped.filter((s) => !GENERIC_SKIPS.test(s.reason)).map((s) => s.venue),
        );
        const keyOf = (venue: RouteVenueInput, p: Price) => feeAdjustedPrice(side, p, venue.takerFeeRate);
        const takenWorseThan = (key: ReturnType<typeof keyOf>) => {
          let total = Quantity.zero();
          for (const leg of plan.legs) {
            const venue = byVenue.get(leg.instrument.venue);
            if (venue === undefined) continue;
            const notWorse = venue.levels
              .filter((l) => inLimit(l.price) && compareFeeAdjusted(keyOf(venue, l.price), key) <= 0)
              .reduce((sum, l) => sum.add(l.quantity), Quantity.zero());
            if (leg.quantity.gt(notWorse)) total = total.add(leg.quantity.sub(notWorse));
          }
          return total;
        };
        for (const venue of venues) {
          if (dropped.has(venue.instrument.venue)) continue;
          const step = venue.instrument.stepSize;
          const mine = alloc.get(venue.instrument.venue) ?? Quantity.zero();
          expect(mine.roundTo(step, RoundingMode.DOWN).eq(mine)).toBe(true);
          const sorted = venue.levels
            .filter((l) => inLimit(l.price))
            .sort((a, b) => (atLeastAsGood(a.price, b.price) ? -1 : 1));
          let cumulative = Quantity.zero();
          for (const level of sorted) {
            cumulative = cumulative.add(level.quantity);
            const more = mine.add(step);
            if (more.gt(cumulative) || more.gt(venue.instrument.maxQuantity)) continue;
            expect(
              takenWorseThan(keyOf(venue, level.price)).lt(step),
              `${venue.instrument.venue} left ${level.price.toString()} unused`,
            ).toBe(true);
          }
        }
      }),
      { numRuns: 1_000, seed: 61_127 },
    );
  });
});
