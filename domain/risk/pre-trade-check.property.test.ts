// Property: no order that breaks a limit is ever approved. The oracle recomputes every figure from
// the raw list of open orders and fills with decimal.js, independently of AccountExposure.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClientOrderId } from '../identifiers/index.ts';
import type { Instrument } from '../instruments/index.ts';
import type { OrderSide } from '../orders/index.ts';
import { FixedDecimal, Price, Quantity } from '../values/index.ts';
import { AccountExposure } from './account-exposure.ts';
import { checkNewOrder } from './pre-trade-check.ts';
import type { ProposedOrder } from './pre-trade-check.ts';
import { emptyRiskLimits } from './risk-limits.ts';
import { updateRiskLimits } from './risk-limits-update.ts';
import { BTC_EUR, BTC_USD } from './test-support.ts';

const D = (text: string) => new Decimal(text);
const cents = (n: number) => (n / 100).toFixed(2);
const steps = (n: number) => (n / 10_000).toFixed(4);
const instrumentArb = fc.constantFrom(BTC_USD, BTC_EUR);
const sideArb = fc.constantFrom<OrderSide>('BUY', 'SELL');
const qtyArb = fc.integer({ min: 1, max: 50_000 }).map(steps);
const priceArb = fc.integer({ min: 5_000, max: 15_000 }).map(cents);

// Balances large enough that the other limits get their turn, small enough to refuse some orders.
const bigArb = fc.integer({ min: 1, max: 100_000_000 }).map(cents);
const positionLimitArb = fc.integer({ min: 1, max: 400_000 }).map(steps);
const openOrderArb = fc.record({ instrument: instrumentArb, side: sideArb, qty: qtyArb, price: priceArb });
const fillArb = fc.record({ instrument: instrumentArb, side: sideArb, qty: qtyArb });
const limitsArb = fc.record(
  {
    killSwitch: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    maxOrderNotional: fc.record({ USD: bigArb }, { requiredKeys: [] }),
    maxPosition: fc.record(
      { [BTC_USD.id]: positionLimitArb, [BTC_EUR.id]: positionLimitArb },
      { requiredKeys: [] },
    ),
    maxVenuePosition: fc.record({ paper: fc.record({ BTC: positionLimitArb }) }, { requiredKeys: [] }),
    maxOpenOrders: fc.integer({ min: 4, max: 20 }),
    priceBandBps: fc.integer({ min: 1, max: 6_000 }),
  },
  { requiredKeys: [] },
);
const orderArb = fc.record({
  instrument: instrumentArb,
  side: sideArb,
  market: fc.boolean(),
  qty: qtyArb,
  price: priceArb,
});
const balancesArb = fc.record(
  { USD: bigArb, EUR: bigArb, BTC: qtyArb.map((q) => D(q).mul(4).toFixed(4)) },
  { requiredKeys: ['USD', 'BTC'] },
);

describe('checkNewOrder (property)', () => {
  it('never approves an order that breaks a limit', () => {
    let approved = 0;
    fc.assert(
      fc.property(
        fc.array(openOrderArb, { maxLength: 8 }),
        fc.array(fillArb, { maxLength: 6 }),
        limitsArb,
        fc.option(priceArb, { nil: undefined }),
        balancesArb,
        orderArb,
        (openOrders, fills, limitUpdate, midText, balances, o) => {
          const limits = updateRiskLimits(emptyRiskLimits(), limitUpdate);
          const exposure = new AccountExposure();
          openOrders.forEach((open, i) =>
            exposure.addOrder({
              clientOrderId: parseClientOrderId(`o${i}`),
              instrument: open.instrument,
              side: open.side,
              remaining: Quantity.parse(open.qty),
              reservePrice: Price.parse(open.price),
            }),
          );
          fills.forEach((f, i) =>
            exposure.applyFill(parseClientOrderId(`f${i}`), f.instrument, f.side, Quantity.parse(f.qty)),
          );
          const order: ProposedOrder = o.market
            ? { instrument: o.instrument, side: o.side, type: 'MARKET', quantity: Quantity.parse(o.qty) }
            : {
                instrument: o.instrument,
                side: o.side,
                type: 'LIMIT',
                quantity: Quantity.parse(o.qty),
                price: Price.parse(o.price),
              };
          const mid = midText === undefined ? undefined : Price.parse(midText);
          const balanceOf = (asset: string): string | undefined =>
            (balances as Record<string, string | undefined>)[asset];
          const { decision } = checkNewOrder(order, {
            limits,
            clusterKillSwitch: false,
            exposure,
            mid,
            balance: (_venue, asset) => {
              const text = balanceOf(asset);
              return text === undefined ? undefined : FixedDecimal.parse(text);
            },
            bucket: undefined,
            nowMs: 0,
          });
          if (!decision.approved) return;
          approved += 1;

          // Everything below must hold for an approved order.
          expect(limitUpdate.killSwitch ?? false).toBe(false);
          if (limitUpdate.maxOpenOrders !== undefined)
            expect(openOrders.length).toBeLessThan(limitUpdate.maxOpenOrders);
          const valuation = o.market ? midText : o.price;
          const notional = valuation === undefined ? undefined : D(valuation).mul(o.qty);
          const notionalLimit = limitUpdate.maxOrderNotional?.USD;
          if (notionalLimit !== undefined && o.instrument === BTC_USD) {
            expect(notional?.lte(notionalLimit)).toBe(true);
          }
          if (limitUpdate.priceBandBps !== undefined && !o.market) {
            expect(midText).toBeDefined();
            const m = D(midText ?? '0');
            expect(D(o.price).sub(m).abs().mul(10_000).lte(m.mul(limitUpdate.priceBandBps))).toBe(true);
          }
          const sign = (side: OrderSide) => (side === 'BUY' ? 1 : -1);
          const worst = (match: (i: Instrument) => boolean) => {
            const position = fills
              .filter((f) => match(f.instrument))
              .reduce((s, f) => s.add(D(f.qty).mul(sign(f.side))), D('0'));
            const open = openOrders
              .filter((x) => match(x.instrument) && x.side === o.side)
              .reduce((s, x) => s.add(x.qty), D('0'));
            return position.add(open.add(o.qty).mul(sign(o.side))).abs();
          };
          const instrumentMax = (limitUpdate.maxPosition as Record<string, string> | undefined)?.[
            o.instrument.id
          ];
          if (instrumentMax !== undefined)
            expect(worst((i) => i === o.instrument).lte(instrumentMax)).toBe(true);
          const venueMax = limitUpdate.maxVenuePosition?.paper?.BTC;
          if (venueMax !== undefined) expect(worst(() => true).lte(venueMax)).toBe(true);
          const asset = o.side === 'BUY' ? o.instrument.quoteAsset : o.instrument.baseAsset;
          const reserved = openOrders
            .filter((x) => (x.side === 'BUY' ? x.instrument.quoteAsset : x.instrument.baseAsset) === asset)
            .reduce((s, x) => s.add(x.side === 'BUY' ? D(x.qty).mul(x.price) : D(x.qty)), D('0'));
          const needed = o.side === 'BUY' ? notional : D(o.qty);
          expect(needed).toBeDefined();
          expect(
            D(balanceOf(asset) ?? 'NaN')
              .sub(reserved)
              .gte(needed ?? D('Infinity')),
          ).toBe(true);
        },
      ),
      { numRuns: 2_000, seed: 20_261_126 },
    );
    // The generators must reach approvals often enough for the oracle to bite.
    expect(approved).toBeGreaterThan(300);
  });
});
