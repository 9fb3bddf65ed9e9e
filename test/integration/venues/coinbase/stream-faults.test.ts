import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../observability/index.ts';
import type { MarketDataEvent, VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { metricValue, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';
import { BTC_USD } from './orders.ts';

describe('Coinbase streams: snapshots, sequence gaps, drops, stale heartbeats and malformed frames', () => {
  let h: Harness;
  const market: MarketDataEvent[] = [];
  const execution: VenueExecutionEvent[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger({
      level: 'warn',
      name: 'coinbase-streams',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    h = await startHarness({ seedLevels: 10, heartbeatIntervalMs: 100, logger }, { staleAfterMs: 1500 });
    h.connector.onExecution((e) => execution.push(e));
    h.connector.subscribeMarketData(BTC_USD, (e) => market.push(e));
  });
  afterAll(async () => {
    await h.close();
  });

  const kinds = (): string[] => market.map((e) => e.kind);
  const snapshots = (): number => market.filter((e) => e.kind === 'snapshot').length;
  const step = (): number => h.sim.control.step(20);

  it('starts with a full snapshot, then deltas and trades', async () => {
    await until(() => snapshots() === 1, 5000, 'first snapshot');
    const first = market[0];
    expect(first?.kind).toBe('snapshot');
    if (first?.kind === 'snapshot') {
      expect(first.book.bids.length).toBeGreaterThan(0);
      expect(first.book.asks.length).toBeGreaterThan(0);
      expect(first.book.bids[0]?.price.lt(first.book.asks[0]?.price ?? first.book.bids[0].price)).toBe(true);
    }
    await until(
      () => {
        step();
        return kinds().includes('delta') && kinds().includes('trade');
      },
      5000,
      'deltas and trades',
    );
    const deltas = market.filter((e) => e.kind === 'delta');
    const sequences = deltas.map((e) => (e.kind === 'delta' ? e.delta.sequence : 0));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('a sequence_num gap marks the book stale and resubscribes for a fresh snapshot', async () => {
    const before = snapshots();
    h.sim.control.faults.apply({ sequenceGap: { count: 1, symbols: ['BTC-USD'] } });
    await until(
      () => {
        step();
        return snapshots() > before;
      },
      5000,
      'a fresh snapshot after the gap',
    );
    const stale = market.findIndex((e) => e.kind === 'stale' && e.reason.includes('gap'));
    expect(stale).toBeGreaterThanOrEqual(0);
    // Trades flow on; the book's next event is the snapshot, never a delta on the stale book.
    expect(market.slice(stale).find((e) => e.kind === 'snapshot' || e.kind === 'delta')?.kind).toBe(
      'snapshot',
    );
    expect(
      await metricValue(h.metrics, 'coinbase_sequence_gaps_total', { connection: 'market' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metricValue(h.metrics, 'coinbase_resubscribes_total', { channel: 'level2', reason: 'gap' }),
    ).toBe(1);
  });

  it('a dropped connection reconnects, resubscribes and rebuilds the book; the user stream says reconnected', async () => {
    const before = snapshots();
    const staleBefore = market.filter((e) => e.kind === 'stale').length;
    expect(h.sim.control.dropStreams()).toBeGreaterThanOrEqual(2);
    await until(() => snapshots() > before, 5000, 'a snapshot after the reconnect');
    expect(market.filter((e) => e.kind === 'stale').length).toBeGreaterThan(staleBefore);
    await until(() => execution.some((e) => e.kind === 'reconnected'), 5000, 'user stream reconnected');
    expect(
      await metricValue(h.metrics, 'coinbase_ws_reconnects_total', { connection: 'market' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metricValue(h.metrics, 'coinbase_ws_reconnects_total', { connection: 'user' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('stale heartbeats get the connection replaced once silence passes staleAfterMs', async () => {
    const reconnects = await metricValue(h.metrics, 'coinbase_ws_reconnects_total', { connection: 'market' });
    h.sim.control.faults.apply({ staleHeartbeats: true });
    await until(
      async () =>
        (await metricValue(h.metrics, 'coinbase_ws_reconnects_total', { connection: 'market' })) > reconnects,
      8000,
      'a reconnect after silence',
    );
    h.sim.control.faults.clear();
    const before = snapshots();
    await until(() => snapshots() > before || market.at(-1)?.kind === 'snapshot', 5000, 'book rebuilt');
  });

  it('malformed frames are logged with the raw payload, counted, and the stream carries on', async () => {
    const counted = await metricValue(h.metrics, 'coinbase_malformed_payloads_total');
    h.sim.control.injectFrame('this is not json');
    h.sim.control.injectFrame(
      '{"channel":"l2_data","timestamp":"2026-09-30T02:39:59Z","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"2026-09-30T02:39:59Z","price_level":"1e5","new_quantity":"1"}]}]}',
    );
    await until(
      async () => (await metricValue(h.metrics, 'coinbase_malformed_payloads_total')) >= counted + 2,
      5000,
      'malformed payloads counted',
    );
    expect(
      logLines.some((l) => l.includes('this is not json') && l.includes('malformed venue payload')),
    ).toBe(true);
    expect(logLines.some((l) => l.includes('price_level') && l.includes('1e5'))).toBe(true);
    const before = market.length;
    await until(
      () => {
        step();
        return market.length > before;
      },
      5000,
      'events after the malformed frames',
    );
  });
});
