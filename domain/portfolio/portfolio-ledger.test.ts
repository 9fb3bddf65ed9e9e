import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstrumentIdParts, parseTradeId } from '../identifiers/index.ts';
import type { OrderSide } from '../orders/index.ts';
import { Money, Price, Quantity } from '../values/index.ts';
import type { PortfolioFill, TradedInstrument } from './portfolio-fill.ts';
import { FillRecall } from './booked-fills.ts';
import { PortfolioLedger } from './portfolio-ledger.ts';

function instrument(id: string, baseAsset: string, quoteAsset: string): TradedInstrument {
  const parts = parseInstrumentIdParts(id);
  return { id: parts.id, venue: parts.venue, baseAsset, quoteAsset };
}
const PAPER_BTC = instrument('BTC-USD.PAPER', 'BTC', 'USD');
const COINBASE_BTC = instrument('BTC-USD.COINBASE', 'BTC', 'USD');

function fill(
  side: OrderSide,
  quantity: string,
  price: string,
  tradeId: string,
  fee = '0',
  on: TradedInstrument = PAPER_BTC,
  timestamp = 1,
): PortfolioFill {
  return {
    instrument: on,
    tradeId: parseTradeId(tradeId),
    side,
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
    fee: Money.parse(fee, on.quoteAsset),
    timestamp,
  };
}

describe('PortfolioLedger', () => {
  it('books a round trip: balances, fees, FIFO realised PnL, unrealised at the mid', () => {
    const ledger = new PortfolioLedger();
    ledger.setBalance(PAPER_BTC.venue, Money.parse('1000.00', 'USD'));
    expect(ledger.apply(fill('BUY', '1', '100.00', 't1', '0.10'))).toBe(true);
    expect(ledger.apply(fill('BUY', '1', '110.00', 't2', '0.10'))).toBe(true);
    expect(ledger.apply(fill('SELL', '1.5', '120.00', 't3', '0.20'))).toBe(true);
    const position = ledger.position(PAPER_BTC.id);
    expect(position?.quantity.toString()).toBe('0.5');
    // FIFO: 1 @ 100 → +20, 0.5 @ 110 → +5.
    expect(position?.realisedPnl.eq(Money.parse('25', 'USD'))).toBe(true);
    expect(ledger.balance(PAPER_BTC.venue, 'USD').eq(Money.parse('969.60', 'USD'))).toBe(true);
    expect(ledger.balance(PAPER_BTC.venue, 'BTC').eq(Money.parse('0.5', 'BTC'))).toBe(true);
    const { byCurrency, unmarked } = ledger.unrealisedPnl(() => Price.parse('100.00'));
    expect(byCurrency.get('USD')?.eq(Money.parse('-5', 'USD'))).toBe(true);
    expect(unmarked).toEqual([]);
    expect(ledger.fees()[0]?.balance.eq(Money.parse('0.40', 'USD'))).toBe(true);
  });

  it('applies a fill exactly once, and tells trades of different instruments apart', () => {
    const ledger = new PortfolioLedger();
    expect(ledger.apply(fill('BUY', '1', '100.00', 't1'))).toBe(true);
    expect(ledger.apply(fill('BUY', '1', '100.00', 't1'))).toBe(false);
    expect(ledger.apply(fill('BUY', '1', '100.00', 't1', '0', COINBASE_BTC))).toBe(true);
    expect(ledger.position(PAPER_BTC.id)?.quantity.toString()).toBe('1');
    expect(ledger.appliedCount).toBe(2);
  });

  it('remembers a bounded number of fill keys after many fills, and still refuses a recent repeat', () => {
    const ledger = new PortfolioLedger({ rememberedFills: 50, fillTimeMarginMs: 0 });
    for (let i = 1; i <= 5_000; i += 1) {
      expect(ledger.apply(fill('BUY', '0.001', '100.00', `t${i}`, '0', PAPER_BTC, i))).toBe(true);
      // Every fill is published once and then again, as after an order manager's recovery.
      expect(ledger.apply(fill('BUY', '0.001', '100.00', `t${i}`, '0', PAPER_BTC, i))).toBe(false);
    }
    expect(ledger.rememberedFills).toBe(50);
    expect(ledger.appliedCount).toBe(5_000);
    expect(ledger.position(PAPER_BTC.id)?.quantity.toString()).toBe('5.000');
    expect(ledger.recall(fill('BUY', '0.001', '100.00', 't4951', '0', PAPER_BTC, 4_951))).toBe(
      FillRecall.BOOKED,
    );
    expect(ledger.recall(fill('BUY', '0.001', '100.00', 't4950', '0', PAPER_BTC, 4_950))).toBe(
      FillRecall.UNKNOWN,
    );
    expect(ledger.recall(fill('BUY', '0.001', '100.00', 't5001', '0', PAPER_BTC, 5_001))).toBe(
      FillRecall.NEW,
    );
  });

  it('goes short through zero and realises on the way', () => {
    const ledger = new PortfolioLedger();
    ledger.apply(fill('BUY', '1', '100.00', 'a'));
    ledger.apply(fill('SELL', '3', '90.00', 'b'));
    const position = ledger.position(PAPER_BTC.id);
    expect(position?.quantity.toString()).toBe('-2');
    expect(position?.realisedPnl.eq(Money.parse('-10', 'USD'))).toBe(true);
    expect(
      ledger
        .unrealisedPnl(() => Price.parse('80.00'))
        .byCurrency.get('USD')
        ?.eq(Money.parse('20', 'USD')),
    ).toBe(true);
  });

  it('aggregates an asset across venues and lists positions without a mid as unmarked', () => {
    const ledger = new PortfolioLedger();
    ledger.apply(fill('BUY', '1', '100.00', 'a'));
    ledger.apply(fill('BUY', '2', '101.00', 'a', '0', COINBASE_BTC));
    const btc = ledger.exposureByAsset().find((e) => e.asset === 'BTC');
    expect(btc?.position.toString()).toBe('3');
    expect(btc?.balance.eq(Money.parse('3', 'BTC'))).toBe(true);
    expect(btc?.byVenue.map((line) => line.venue).sort()).toEqual(['coinbase', 'paper']);
    expect(
      ledger.unrealisedPnl((id) => (id === PAPER_BTC.id ? Price.parse('1.00') : undefined)).unmarked,
    ).toEqual([COINBASE_BTC.id]);
  });

  it('is funded on a venue by a balance set there, never by a fill', () => {
    // An account trading on the venue connection's own funds has only its fills' flows on that
    // venue: pre-trade checks must keep reading the venue's figure after its first fill.
    const ledger = new PortfolioLedger();
    ledger.apply(fill('BUY', '0.01', '30000', 't1'));
    expect(ledger.balance(PAPER_BTC.venue, 'USD').toString()).toBe('-300.00');
    expect(ledger.funded()).toEqual([]);
    ledger.setBalance(COINBASE_BTC.venue, Money.parse('1000', 'USD'));
    ledger.apply(fill('BUY', '0.01', '30000', 't2', '0', COINBASE_BTC));
    expect(ledger.funded()).toEqual([COINBASE_BTC.venue]);
    expect(ledger.balance(COINBASE_BTC.venue, 'USD').toString()).toBe('700.00');
  });

  it('refuses a fill without a positive price', () => {
    const ledger = new PortfolioLedger();
    expect(() => ledger.apply(fill('BUY', '1', '0', 'z'))).toThrow(/fill.price/);
    expect(ledger.appliedCount).toBe(0);
  });
});

describe('PortfolioLedger (property)', () => {
  const D = (x: { toString(): string }) => new Decimal(x.toString());
  const fillArb = fc.record({
    side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
    qty: fc.integer({ min: 1, max: 100_000 }).map((n) => (n / 1000).toFixed(3)),
    price: fc.integer({ min: 1, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)),
    fee: fc.integer({ min: -100, max: 1_000 }).map((n) => (n / 100).toFixed(2)),
    tradeId: fc.integer({ min: 1, max: 60 }).map(String),
  });

  it('position = Σ signed unique fills; cash is conserved; equity change = realised + unrealised − fees', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)),
        (fills, midText) => {
          const ledger = new PortfolioLedger();
          const seen = new Set<string>();
          let position = new Decimal(0);
          let cash = new Decimal(0);
          let fees = new Decimal(0);
          for (const f of fills) {
            const applied = ledger.apply(fill(f.side, f.qty, f.price, f.tradeId, f.fee));
            expect(applied).toBe(!seen.has(f.tradeId));
            if (!applied) continue;
            seen.add(f.tradeId);
            const sign = f.side === 'BUY' ? 1 : -1;
            position = position.add(D(f.qty).mul(sign));
            cash = cash.sub(D(f.qty).mul(f.price).mul(sign)).sub(f.fee);
            fees = fees.add(f.fee);
          }
          const p = ledger.position(PAPER_BTC.id);
          expect(D(p?.quantity ?? '0').eq(position)).toBe(true);
          expect(D(ledger.balance(PAPER_BTC.venue, 'BTC')).eq(position)).toBe(true);
          expect(D(ledger.balance(PAPER_BTC.venue, 'USD')).eq(cash)).toBe(true);
          const lots = p?.lots ?? [];
          expect(lots.reduce((s, lot) => s.add(D(lot.quantity)), new Decimal(0)).eq(position.abs())).toBe(
            true,
          );
          const realised = D(ledger.realisedPnl().get('USD') ?? '0');
          const unrealised = D(ledger.unrealisedPnl(() => Price.parse(midText)).byCurrency.get('USD') ?? '0');
          expect(cash.add(position.mul(midText)).eq(realised.add(unrealised).sub(fees))).toBe(true);
        },
      ),
      { numRuns: 500, seed: 61_126 },
    );
  });
});
