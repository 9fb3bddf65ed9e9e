import { describe, expect, it } from 'vitest';
import { Price } from '../../domain/values/index.ts';
import { MarketDataGenerator } from './market-data-generator.ts';
import { BTCUSD, testEngine } from './test-support.ts';

function generator(
  seed: number,
  volatility = 0.001,
): { engine: ReturnType<typeof testEngine>; gen: MarketDataGenerator } {
  const engine = testEngine();
  const gen = new MarketDataGenerator({
    engine,
    instrumentId: BTCUSD,
    seed,
    initialMid: Price.parse('30000.00'),
    volatility,
  });
  return { engine, gen };
}

describe('MarketDataGenerator', () => {
  it('builds a two-sided book around the mid and prints trades', () => {
    const { engine, gen } = generator(1);
    const stats = gen.step(3000);
    expect(stats.placed).toBeGreaterThan(1000);
    expect(stats.cancelled).toBeGreaterThan(300);
    expect(stats.marketable).toBeGreaterThan(200);
    expect(stats.trades).toBeGreaterThan(200);
    const book = engine.book(BTCUSD, 1);
    const bid = book.bids[0]?.[0];
    const ask = book.asks[0]?.[0];
    if (bid === undefined || ask === undefined) throw new Error('one-sided book');
    expect(bid.lt(ask)).toBe(true);
    expect(engine.trades(BTCUSD).length).toBeGreaterThan(100);
  });

  it('follows its drifting mid', () => {
    const engine = testEngine();
    const gen = new MarketDataGenerator({
      engine,
      instrumentId: BTCUSD,
      seed: 9,
      initialMid: Price.parse('30000.00'),
      volatility: 0,
      drift: 0.00001, // +1 bp per action
    });
    gen.step(4000);
    const mid = gen.mid();
    expect(mid.gt(Price.parse('31000'))).toBe(true);
    const last = engine.lastPrice(BTCUSD);
    if (last === undefined) throw new Error('no trades');
    // The last trade is within 1 % of the model mid.
    const gap = last.sub(mid).abs();
    expect(gap.lt(mid.mulDecimal(Price.parse('0.01')))).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const a = generator(42);
    const b = generator(42);
    expect(a.gen.step(2000)).toEqual(b.gen.step(2000));
    const render = (e: ReturnType<typeof testEngine>): string =>
      JSON.stringify(e.book(BTCUSD), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(render(a.engine)).toBe(render(b.engine));
    expect(a.gen.mid().eq(b.gen.mid())).toBe(true);
  });

  it('rejects a mid that is not on the tick grid', () => {
    const engine = testEngine();
    expect(
      () =>
        new MarketDataGenerator({ engine, instrumentId: BTCUSD, seed: 1, initialMid: Price.parse('1.005') }),
    ).toThrow(/initialMid/);
  });
});
