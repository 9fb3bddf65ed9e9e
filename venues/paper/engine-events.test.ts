import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { EngineEvent } from './engine-events.ts';
import { MarketDataGenerator } from './market-data-generator.ts';
import type { MatchingEngine } from './matching-engine.ts';
import { BTCUSD, limit, market, testEngine } from './test-support.ts';

/** Events as JSON text: every value type prints as its exact decimal string. */
function serialise(events: readonly EngineEvent[]): string {
  return JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

/** The same user commands interleaved with generated flow, recorded as an event stream. */
function run(seed: number): { engine: MatchingEngine; events: EngineEvent[] } {
  const engine = testEngine();
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  engine.deposit('user', 'USD', '100000');
  engine.deposit('user', 'BTC', '5');
  const generator = new MarketDataGenerator({
    engine,
    instrumentId: BTCUSD,
    seed,
    initialMid: Price.parse('30000.00'),
    volatility: 0.0005,
  });
  for (let i = 0; i < 20; i++) {
    generator.step(50);
    const mid = generator.mid();
    engine.submit(
      'user',
      limit(i % 2 === 0 ? 'BUY' : 'SELL', mid.toString(), '0.01', { clientOrderId: `u${i}` }),
    );
    if (i % 5 === 4) engine.submit('user', market('SELL', '0.005', { clientOrderId: `m${i}` }));
  }
  return { engine, events };
}

describe('MatchingEngine events', () => {
  it('is deterministic: same seed and commands give identical event streams', () => {
    const a = run(11);
    const b = run(11);
    expect(a.events.length).toBeGreaterThan(1000);
    expect(serialise(a.events)).toBe(serialise(b.events));
    expect(serialise(run(12).events)).not.toBe(serialise(a.events));
  });

  it('numbers events without gaps and book events without gaps per instrument', () => {
    const { events } = run(3);
    events.forEach((event, i) => expect(event.sequence).toBe(BigInt(i + 1)));
    let last = 0n;
    for (const event of events) {
      if (event.kind !== 'book') continue;
      expect(event.firstSequence).toBe(last + 1n);
      expect(event.lastSequence >= event.firstSequence).toBe(true);
      last = event.lastSequence;
    }
  });

  it('rebuilds the exact book from book events (diff depth) and the exact balances from balance events', () => {
    const { engine, events } = run(5);
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    const balances = new Map<string, string>();
    for (const event of events) {
      if (event.kind === 'book') {
        for (const [side, levels] of [
          [bids, event.bids],
          [asks, event.asks],
        ] as const) {
          for (const [price, quantity] of levels) {
            if (quantity.isZero()) side.delete(price.toString());
            else side.set(price.toString(), quantity.toString());
          }
        }
      } else if (event.kind === 'balance') {
        balances.set(
          `${event.accountId}/${event.asset}`,
          `${event.free.toString()}/${event.locked.toString()}`,
        );
      }
    }
    const book = engine.book(BTCUSD);
    expect(new Map(book.bids.map(([p, q]) => [p.toString(), q.toString()]))).toEqual(bids);
    expect(new Map(book.asks.map(([p, q]) => [p.toString(), q.toString()]))).toEqual(asks);
    for (const account of ['user', `paper-mm-${BTCUSD}`, `paper-taker-${BTCUSD}`]) {
      for (const b of engine.balances(account)) {
        expect(balances.get(`${account}/${b.asset}`)).toBe(`${b.free.toString()}/${b.locked.toString()}`);
      }
    }
  });

  it('reports a trade as NEW, TRADE events for both orders, a trade event, then balances and the book', () => {
    const engine = testEngine();
    engine.deposit('maker', 'BTC', '1');
    engine.deposit('taker', 'USD', '1000');
    engine.submit('maker', limit('SELL', '100.00', '1'));
    const events: EngineEvent[] = [];
    const unsubscribe = engine.subscribe((event) => events.push(event));
    engine.submit('taker', limit('BUY', '100.00', '0.4', { clientOrderId: 'take' }));
    expect(events.map((e) => (e.kind === 'order' ? `order:${e.accountId}:${e.execution}` : e.kind))).toEqual([
      'order:taker:NEW',
      'trade',
      'order:maker:TRADE',
      'order:taker:TRADE',
      'balance',
      'balance',
      'balance',
      'balance',
      'book',
    ]);
    const trade = events[1];
    if (trade?.kind !== 'trade') throw new Error('expected a trade');
    expect(trade).toMatchObject({ takerSide: 'BUY', buyerOrderId: '2', sellerOrderId: '1', tradeId: 1n });
    expect(trade.quantity.eq(Quantity.parse('0.4'))).toBe(true);
    const book = events[8];
    if (book?.kind !== 'book') throw new Error('expected a book event');
    expect(book.asks.map(([p, q]) => [p.toString(), q.toString()])).toEqual([['100.00', '0.60000']]);
    unsubscribe();
    engine.submit('taker', limit('BUY', '99.00', '0.1'));
    expect(events).toHaveLength(9);
  });

  it('delivers events after the command, so a listener may call the engine', () => {
    const engine = testEngine();
    engine.deposit('a', 'USD', '1000');
    const seen: string[] = [];
    engine.subscribe((event) => {
      if (event.kind === 'order' && event.execution === 'NEW' && event.order.clientOrderId === 'first') {
        seen.push(`open orders during delivery: ${engine.openOrders('a').length}`);
        engine.submit('a', limit('BUY', '90.00', '1', { clientOrderId: 'second' }));
      }
      if (event.kind === 'order') seen.push(event.order.clientOrderId);
    });
    engine.submit('a', limit('BUY', '91.00', '1', { clientOrderId: 'first' }));
    expect(seen).toEqual(['open orders during delivery: 1', 'first', 'second']);
  });

  it('rethrows a listener error after applying the command and delivering to everyone', () => {
    const engine = testEngine();
    const delivered: string[] = [];
    engine.subscribe(() => {
      throw new Error('listener failed');
    });
    engine.subscribe((event) => delivered.push(event.kind));
    expect(() => engine.deposit('a', 'USD', '10')).toThrow('listener failed');
    expect(delivered).toEqual(['balance']);
    expect(engine.balances('a')[0]?.free.toString()).toBe('10.0000000000');
  });
});
