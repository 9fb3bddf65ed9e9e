import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCombinedFrame, parseDepthSnapshot } from '../common/index.ts';
import type { DepthDiff, MarketDataEvent } from '../common/index.ts';
import { DepthSynchronizer, SyncOutcome } from './depth-synchronizer.ts';

// Recorded Binance.US frames and snapshots (test fixtures, read at test time).
const DATA = new URL('../../../../shared/data/', import.meta.url);
const frames = readFileSync(new URL('binanceus-ws-frames-2021-10-12.ndjson', DATA), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.stringify((JSON.parse(line) as { frame: unknown }).frame));
const snapshots = readFileSync(new URL('binanceus-depth-snapshots-2021-10-12.ndjson', DATA), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as { url: string; body: unknown });

function symbolOf(url: string): string {
  return new URL(url).searchParams.get('symbol') ?? '';
}

describe('recorded Binance.US depth streams', () => {
  const events = frames.map(parseCombinedFrame).filter((e): e is MarketDataEvent => e !== undefined);

  it('parses every recorded depth, aggTrade and bookTicker frame into exact domain types', () => {
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['depthUpdate', 'aggTrade', 'bookTicker']));
    const trade = events.find((e) => e.kind === 'aggTrade');
    expect(trade?.kind === 'aggTrade' && trade.event.price.precision).toBe(8);
    // 329 lines minus the 5 kline frames we do not normalise.
    expect(events).toHaveLength(324);
  });

  it.each(snapshots.map((s) => [symbolOf(s.url), s] as const))(
    'rebuilds the %s book with the documented procedure and no gap',
    (symbol, recorded) => {
      const sync = new DepthSynchronizer(symbol);
      const diffs = events
        .filter((e): e is Extract<MarketDataEvent, { kind: 'depthUpdate' }> => e.kind === 'depthUpdate')
        .map((e) => e.event)
        .filter((d: DepthDiff) => d.symbol === symbol);
      expect(diffs.length).toBeGreaterThan(0);
      const snapshot = parseDepthSnapshot(recorded.body);
      const outcomes: SyncOutcome[] = [];
      // Buffer what arrived up to the snapshot, then apply the snapshot, then the rest live.
      const cut = diffs.findIndex((d) => d.finalUpdateId > snapshot.lastUpdateId + 1);
      const before = cut < 0 ? diffs : diffs.slice(0, Math.max(cut, 1));
      for (const d of before) outcomes.push(sync.onDiff(d));
      outcomes.push(sync.onSnapshot(snapshot));
      for (const d of diffs.slice(before.length)) outcomes.push(sync.onDiff(d));
      expect(outcomes).not.toContain(SyncOutcome.GAP);
      expect(outcomes).not.toContain(SyncOutcome.STALE_SNAPSHOT);
      expect(sync.book.lastUpdateId).toBe(diffs.at(-1)?.finalUpdateId);
      const top = sync.book.topOfBook();
      expect(top.bidPrice?.lt(top.askPrice ?? top.bidPrice)).toBe(true);
    },
  );

  it('discards the book on a gap and asks for a new snapshot', () => {
    const symbol = 'OMGBUSD';
    const recorded = snapshots.find((s) => symbolOf(s.url) === symbol);
    const sync = new DepthSynchronizer(symbol);
    const diffs = events.flatMap((e) =>
      e.kind === 'depthUpdate' && e.event.symbol === symbol ? [e.event] : [],
    );
    sync.onDiff(diffs[0] as DepthDiff);
    expect(sync.onSnapshot(parseDepthSnapshot(recorded?.body))).toBe(SyncOutcome.SYNCED);
    const later = diffs.filter((d) => d.firstUpdateId > sync.book.lastUpdateId + 5);
    expect(sync.onDiff(later[0] as DepthDiff)).toBe(SyncOutcome.GAP);
    expect(sync.synced).toBe(false);
    expect(sync.book.bids.size).toBe(0);
  });
});
