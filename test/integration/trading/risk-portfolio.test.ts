import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorSystem, incrementingEpochs } from '../../../actors/index.ts';
import type { ActorSystem } from '../../../actors/index.ts';
import { PortfolioRequest, journaledFillLookup, portfolioKind } from '../../../actors/portfolio/index.ts';
import type { PortfolioDeps } from '../../../actors/portfolio/index.ts';
import { RiskRequest, riskLimitsKind } from '../../../actors/risk/index.ts';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  Money,
  Price,
  Quantity,
  parseAccountId,
  parseTradeId,
} from '../../../domain/index.ts';
import type { PortfolioFill } from '../../../domain/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { metricValue } from '../actors/actor-test-kit.ts';
import type { TestDatabase } from '../../support/index.ts';
import { BTC, migratedDatabase, paperVenue, startTrader, trade } from './trading-harness.ts';

let database: TestDatabase;
const systems: ActorSystem[] = [];
let count = 0;

function newSystem(metrics = new MetricsRegistry()): ActorSystem {
  count += 1;
  const system = createActorSystem({
    name: `risk-portfolio-${process.pid}-${count}`,
    logger: testLogger('risk-portfolio'),
    metrics,
    persistence: { pool: database.pool, epochs: incrementingEpochs('trading-node') },
  });
  systems.push(system);
  return system;
}

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  for (const system of systems) await system.shutdown();
  await database.drop();
});

describe('risk/<accountId>', () => {
  it('keeps accepted limit updates across a restart and refuses a bad one naming the field', async () => {
    const account = parseAccountId('10000000-0000-4000-8000-000000000001');
    const first = newSystem();
    const ref = first.spawn(riskLimitsKind(), account);
    await first.request(ref, RiskRequest.update({ maxOpenOrders: 3, maxOrderNotional: { USD: '500' } }), {
      timeoutMs: 5_000,
    });
    const error = await first
      .request(ref, RiskRequest.update({ maxOpenOrders: -1 }), { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe('limits.maxOpenOrders');
    await first.shutdown();
    const second = newSystem();
    const limits = await second.request(second.spawn(riskLimitsKind(), account), RiskRequest.get(), {
      timeoutMs: 5_000,
    });
    expect(limits.maxOpenOrders).toBe(3);
    expect(limits.maxOrderNotional.get('USD')?.toString()).toBe('500');
  });
});

describe('portfolio/<accountId>', () => {
  it('books the order manager fills once and recovers the same position after a restart', async () => {
    const account = parseAccountId('10000000-0000-4000-8000-000000000002');
    const venue = await paperVenue();
    const trader = startTrader(database, venue, account);
    const portfolioSystem = newSystem();
    const portfolio = portfolioSystem.spawn(portfolioKind(), account);
    await trader.place({ clientOrderId: 'pf-1', quantity: '1.0000', price: '100.00' });
    await trade(venue, 'SELL', '0.3000', '100.00', 'cp-pf-1');
    await trade(venue, 'SELL', '0.2000', '100.00', 'cp-pf-2');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Every fill twice: the portfolio must book each once.
    for (const fill of [...trader.fills, ...trader.fills]) {
      await portfolioSystem.request(portfolio, PortfolioRequest.fill(fill), { timeoutMs: 5_000 });
    }
    await trader.stop();
    const ledger = await portfolioSystem.request(portfolio, PortfolioRequest.get(), { timeoutMs: 5_000 });
    expect(trader.fills).toHaveLength(2);
    expect(ledger.position(BTC.id)?.quantity.toString()).toBe('0.5000');
    await portfolioSystem.shutdown();

    const again = newSystem();
    const recovered = await again.request(again.spawn(portfolioKind(), account), PortfolioRequest.get(), {
      timeoutMs: 5_000,
    });
    expect(recovered.position(BTC.id)?.quantity.toString()).toBe('0.5000');
    expect(recovered.appliedCount).toBe(2);
    const usd = recovered.balance(BTC.venue, 'USD');
    const fees = recovered
      .fees()
      .reduce(
        (sum, line) => (line.balance.currency === 'USD' ? sum.add(line.balance) : sum),
        Money.zero('USD'),
      );
    expect(usd.add(fees).eq(Money.parse('-50', 'USD'))).toBe(true);
    expect(
      recovered
        .unrealisedPnl(() => Price.parse('110.00'))
        .byCurrency.get('USD')
        ?.eq(Money.parse('5', 'USD')),
    ).toBe(true);
  });
});

// The ledger remembers only its newest booked fills; a fill as old as forgotten ones is settled
// against the journal (docs/trading.md, Portfolio maths).
function oldFill(tradeId: string, timestamp: number): PortfolioFill {
  return {
    instrument: { id: BTC.id, venue: BTC.venue, baseAsset: 'BTC', quoteAsset: 'USD' },
    tradeId: parseTradeId(tradeId),
    side: 'BUY',
    quantity: Quantity.parse('0.1000'),
    price: Price.parse('100.00'),
    fee: Money.parse('0.01', 'USD'),
    timestamp,
  };
}

describe('portfolio/<accountId> with a bounded memory of booked fills', () => {
  it('refuses repeats of forgotten fills by the journal and books an old fill it never saw', async () => {
    const account = parseAccountId('10000000-0000-4000-8000-000000000031');
    const metrics = new MetricsRegistry();
    const deps: PortfolioDeps = {
      journaledFill: journaledFillLookup(database.pool),
      ledger: { rememberedFills: 2, fillTimeMarginMs: 0 },
      metrics,
    };
    const system = newSystem();
    const portfolio = system.spawn(portfolioKind(deps), account);
    const book = (f: PortfolioFill) =>
      system.request(portfolio, PortfolioRequest.fill(f), { timeoutMs: 5_000 });
    for (let i = 1; i <= 5; i += 1) expect(await book(oldFill(`t${i}`, i * 1_000))).toBe(true);
    // t1..t3 are forgotten: the journal answers for them.
    expect(await book(oldFill('t1', 1_000))).toBe(false);
    expect(await book(oldFill('t3', 3_000))).toBe(false);
    // Remembered: answered from memory.
    expect(await book(oldFill('t5', 5_000))).toBe(false);
    // As old as forgotten fills but never booked: booked.
    expect(await book(oldFill('t0', 500))).toBe(true);
    const ledger = await system.request(portfolio, PortfolioRequest.get(), { timeoutMs: 5_000 });
    expect(ledger.position(BTC.id)?.quantity.toString()).toBe('0.6000');
    expect(ledger.rememberedFills).toBe(2);
    await system.shutdown();

    // Recovery replays the journal into the same bounded memory.
    const again = newSystem();
    const recovered = again.spawn(portfolioKind(deps), account);
    const replayed = await again.request(recovered, PortfolioRequest.get(), { timeoutMs: 5_000 });
    expect(replayed.appliedCount).toBe(6);
    expect(replayed.rememberedFills).toBe(2);
    expect(
      await again.request(recovered, PortfolioRequest.fill(oldFill('t2', 2_000)), { timeoutMs: 5_000 }),
    ).toBe(false);
    const outcomes = await metrics
      .counter({ name: 'ninja_portfolio_fills_total', help: 'fills', labelNames: ['outcome'] })
      .get();
    expect(Object.fromEntries(outcomes.values.map((v) => [v.labels.outcome, v.value]))).toEqual({
      booked: 5,
      'old-repeat': 3,
      repeat: 1,
      'old-booked': 1,
    });
  });

  it('without a journal to ask, refuses an old fill (FAILED_PRECONDITION) rather than book it twice', async () => {
    const account = parseAccountId('10000000-0000-4000-8000-000000000032');
    const system = newSystem();
    const portfolio = system.spawn(
      portfolioKind({ ledger: { rememberedFills: 1, fillTimeMarginMs: 0 } }),
      account,
    );
    const book = (f: PortfolioFill) =>
      system.request(portfolio, PortfolioRequest.fill(f), { timeoutMs: 5_000 });
    expect(await book(oldFill('t1', 1_000))).toBe(true);
    expect(await book(oldFill('t2', 2_000))).toBe(true);
    await expect(book(oldFill('t1', 1_000))).rejects.toBeInstanceOf(FailedPreconditionError);
    const ledger = await system.request(portfolio, PortfolioRequest.get(), { timeoutMs: 5_000 });
    expect(ledger.position(BTC.id)?.quantity.toString()).toBe('0.2000');
  });
});

describe('portfolio/<accountId> views', () => {
  it('answers a view whose marks fail with the error, without a restart, and the next view with the ledger', async () => {
    const account = parseAccountId('10000000-0000-4000-8000-000000000041');
    const metrics = new MetricsRegistry();
    let markFails = true;
    const system = newSystem(metrics);
    const portfolio = system.spawn(
      portfolioKind({
        metrics,
        mid: () => {
          if (markFails) throw new Error('the book of BTC-USD could not be read');
          return Price.parse('110.00');
        },
      }),
      account,
    );
    expect(
      await system.request(portfolio, PortfolioRequest.fill(oldFill('v1', Date.now())), { timeoutMs: 5_000 }),
    ).toBe(true);
    await expect(system.request(portfolio, PortfolioRequest.view(), { timeoutMs: 5_000 })).rejects.toThrow(
      'the book of BTC-USD could not be read',
    );
    markFails = false;
    const view = await system.request(portfolio, PortfolioRequest.view(), { timeoutMs: 5_000 });
    expect(view.positions.map((p) => [p.quantity, p.unrealisedPnl?.amount])).toEqual([
      ['0.1000', '1.000000'],
    ]);
    expect(await metricValue(metrics, 'ninja_actor_restarts_total', { kind: 'portfolio' })).toBe(0);
    expect(await metricValue(metrics, 'ninja_portfolio_view_failures_total')).toBe(1);
  });
});
