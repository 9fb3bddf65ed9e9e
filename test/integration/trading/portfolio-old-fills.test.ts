import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorSystem, incrementingEpochs } from '../../../actors/index.ts';
import type { ActorSystem } from '../../../actors/index.ts';
import { PortfolioRequest, journaledFillLookup, portfolioKind } from '../../../actors/portfolio/index.ts';
import type { PortfolioDeps } from '../../../actors/portfolio/index.ts';
import {
  FailedPreconditionError,
  Money,
  Price,
  Quantity,
  parseAccountId,
  parseTradeId,
} from '../../../domain/index.ts';
import type { PortfolioFill } from '../../../domain/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { BTC, migratedDatabase } from './trading-harness.ts';

// The ledger remembers only its newest booked fills; a fill as old as forgotten ones is settled
// against the journal (docs/trading.md, Node memory, session 8).

let database: TestDatabase;
const systems: ActorSystem[] = [];

function newSystem(): ActorSystem {
  const system = createActorSystem({
    name: `portfolio-old-fills-${process.pid}-${systems.length}`,
    logger: testLogger('portfolio-old-fills'),
    metrics: new MetricsRegistry(),
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

function fill(tradeId: string, timestamp: number): PortfolioFill {
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
    const deps: PortfolioDeps = {
      journaledFill: journaledFillLookup(database.pool),
      ledger: { rememberedFills: 2, fillTimeMarginMs: 0 },
    };
    const system = newSystem();
    const portfolio = system.spawn(portfolioKind(deps), account);
    const book = (f: PortfolioFill) =>
      system.request(portfolio, PortfolioRequest.fill(f), { timeoutMs: 5_000 });
    for (let i = 1; i <= 5; i += 1) expect(await book(fill(`t${i}`, i * 1_000))).toBe(true);
    // t1..t3 are forgotten: the journal answers for them.
    expect(await book(fill('t1', 1_000))).toBe(false);
    expect(await book(fill('t3', 3_000))).toBe(false);
    // Remembered: answered from memory.
    expect(await book(fill('t5', 5_000))).toBe(false);
    // As old as forgotten fills but never booked: booked.
    expect(await book(fill('t0', 500))).toBe(true);
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
      await again.request(recovered, PortfolioRequest.fill(fill('t2', 2_000)), { timeoutMs: 5_000 }),
    ).toBe(false);
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
    expect(await book(fill('t1', 1_000))).toBe(true);
    expect(await book(fill('t2', 2_000))).toBe(true);
    await expect(book(fill('t1', 1_000))).rejects.toBeInstanceOf(FailedPreconditionError);
    const ledger = await system.request(portfolio, PortfolioRequest.get(), { timeoutMs: 5_000 });
    expect(ledger.position(BTC.id)?.quantity.toString()).toBe('0.2000');
  });
});
