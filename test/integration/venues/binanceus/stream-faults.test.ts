import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../observability/index.ts';
import {
  DEFAULT_BINANCE_US_CONFIG,
  MarketDataFeed,
  binanceUsMetrics,
} from '../../../../venues/binanceus/index.ts';
import type { MarketDataEvent } from '../../../../venues/binanceus/index.ts';
import { metricValue, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

const SYMBOL = 'BTCUSD';

describe('Binance.US market data feed under injected stream faults', () => {
  let h: Harness;
  let feed: MarketDataFeed;
  const logLines: string[] = [];
  const events: MarketDataEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({ symbols: [SYMBOL, 'ETHUSD'], pingIntervalMs: 100 });
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    feed = new MarketDataFeed({
      config: {
        ...DEFAULT_BINANCE_US_CONFIG,
        ...h.config,
        reconnectInitialMs: 20,
        reconnectMaxMs: 200,
        staleAfterMs: 800,
        // Pings count against the venue's 5 incoming messages/s per connection: stay under it.
        pingIntervalMs: 250,
      },
      rest: h.client,
      logger: createLogger({ level: 'info', destination: capture }),
      metrics: binanceUsMetrics(h.metrics),
      symbols: [SYMBOL, 'ETHUSD'],
      onEvent: (event) => events.push(event),
    });
    feed.start();
    await until(() => feed.synchronizer(SYMBOL)?.synced === true, 5000, 'first sync');
  });
  afterAll(async () => {
    await feed.close();
    await h.close();
  });

  const local = (): string => {
    const { bids, asks } = feed.synchronizer(SYMBOL)?.book.depth(10_000) ?? { bids: [], asks: [] };
    const row = (l: {
      price: { toFixed(p: number): string };
      quantity: { toFixed(p: number): string };
    }): string => `${l.price.toFixed(8)}@${l.quantity.toFixed(8)}`;
    return JSON.stringify({ bids: bids.map(row), asks: asks.map(row) });
  };
  const venue = (): string => {
    const book = h.sim.control.engine.book(SYMBOL);
    const row = ([p, q]: readonly [{ toFixed(p: number): string }, { toFixed(p: number): string }]): string =>
      `${p.toFixed(8)}@${q.toFixed(8)}`;
    return JSON.stringify({ bids: book.bids.map(row), asks: book.asks.map(row) });
  };
  const converges = (what: string): Promise<void> => until(() => local() === venue(), 5000, what);

  it('keeps the local book equal to the venue book while the market moves', async () => {
    h.sim.control.step(300);
    await converges('book after 300 steps');
    // Trades and tickers are other streams than depth: a converged book does not mean they are in yet.
    await until(() => events.some((e) => e.kind === 'trade'), 5000, 'a trade event');
    await until(() => events.some((e) => e.kind === 'bookTicker'), 5000, 'a bookTicker event');
  });

  it('resyncs after an injected sequence gap and ends with the right book', async () => {
    const before = await metricValue(h.metrics, 'binanceus_book_resyncs_total', { reason: 'gap' });
    // The gap must land on a book that is synced, or it is (rightly) absorbed by the next snapshot.
    await until(() => feed.synchronizer(SYMBOL)?.synced === true, 5000, 'book synced');
    h.sim.control.faults.apply({ sequenceGap: { count: 1, symbols: [SYMBOL] } });
    for (let i = 0; i < 20; i++) h.sim.control.step(5);
    await until(
      async () => (await metricValue(h.metrics, 'binanceus_book_resyncs_total', { reason: 'gap' })) > before,
      5000,
      'gap resync',
    );
    h.sim.control.step(50);
    await converges('book after the gap');
  });

  it('reconnects a dropped stream, resubscribes and resyncs the book', async () => {
    const before = await metricValue(h.metrics, 'binanceus_ws_reconnects_total', { connection: 'market' });
    expect(h.sim.control.dropStreams()).toBeGreaterThan(0);
    h.sim.control.step(50);
    await until(
      async () =>
        (await metricValue(h.metrics, 'binanceus_ws_reconnects_total', { connection: 'market' })) > before,
      5000,
      'reconnect',
    );
    await until(
      () => feed.client.connected && feed.synchronizer(SYMBOL)?.synced === true,
      5000,
      'resync after reconnect',
    );
    const tradesBefore = events.filter((e) => e.kind === 'trade').length;
    h.sim.control.step(200);
    await converges('book after reconnect');
    await until(
      () => events.filter((e) => e.kind === 'trade').length > tradesBefore,
      5000,
      'trades after resubscribe',
    );
  });

  it('replaces a connection whose heartbeats went stale', async () => {
    const before = await metricValue(h.metrics, 'binanceus_ws_reconnects_total', { connection: 'market' });
    h.sim.control.faults.apply({ staleHeartbeats: true, silentStreams: true });
    await until(
      async () =>
        (await metricValue(h.metrics, 'binanceus_ws_reconnects_total', { connection: 'market' })) > before,
      5000,
      'stale reconnect',
    );
    h.sim.control.faults.clear();
    await until(() => feed.synchronizer(SYMBOL)?.synced === true, 5000, 'sync after stale');
    h.sim.control.step(50);
    await converges('book after stale connection');
  });

  it('logs and counts malformed frames with their raw payload, without crashing or corrupting the book', async () => {
    const count = (): Promise<number> => metricValue(h.metrics, 'binanceus_malformed_payloads_total');
    const before = await count();
    const lastId = feed.synchronizer(SYMBOL)?.book.lastUpdateId ?? 0;
    h.sim.control.injectFrame('{"stream":"btcusd@depth@100ms","data":{not json');
    h.sim.control.injectFrame(
      JSON.stringify({
        stream: 'btcusd@depth@100ms',
        data: { e: 'depthUpdate', E: 1, s: SYMBOL, U: 'soon', u: lastId + 1, b: [['1.00', '1']], a: [] },
      }),
    );
    h.sim.control.injectFrame(
      JSON.stringify({
        stream: 'btcusd@trade',
        data: { e: 'trade', E: 1, s: SYMBOL, t: 1, p: 1.5, q: '1', T: 1, m: true },
      }),
    );
    // Unknown fields on an otherwise valid frame are tolerated (forward compatible).
    h.sim.control.injectFrame(
      JSON.stringify({
        stream: 'btcusd@trade',
        data: {
          e: 'trade',
          E: 1,
          s: SYMBOL,
          t: 99,
          p: '1.00000000',
          q: '2.00000000',
          T: 1,
          m: true,
          M: true,
          extra: { x: 1 },
        },
      }),
    );
    await until(async () => (await count()) >= before + 3, 3000, 'malformed counted');
    await until(
      () => events.some((e) => e.kind === 'trade' && e.event.tradeId === 99),
      3000,
      'tolerant parse',
    );
    expect(
      logLines.some((line) => line.includes('malformed venue payload') && line.includes('{not json')),
    ).toBe(true);
    expect(logLines.some((line) => line.includes('\\"U\\":\\"soon\\"'))).toBe(true);
    expect(feed.synchronizer(SYMBOL)?.book.lastUpdateId).toBeGreaterThanOrEqual(lastId);
    h.sim.control.step(50);
    await converges('book after malformed frames');
  });
});
