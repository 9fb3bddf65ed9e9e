import { describe, expect, it } from 'vitest';
import type { PortfolioFillWire } from '../portfolio/index.ts';
import { wireFill } from './test-fills.ts';
import { FillFeedLog } from './fill-feed-log.ts';

const wire = wireFill;

const everyone = () => true;
const options = { retain: 4, batch: 3, followerTtlMs: 1_000, recentKeys: 8 };
const trades = (fills: readonly PortfolioFillWire[]) => fills.map((f) => f.tradeId);

describe('FillFeedLog', () => {
  it('keeps nothing without followers, and a first fetch starts from now', () => {
    const log = new FillFeedLog('f1', options);
    log.append(wire('t1'), 0, everyone);
    expect(log.size).toBe(0);
    const { batch } = log.read('gw-a', undefined, undefined, 0);
    expect(batch).toEqual({ feedId: 'f1', next: 1, fills: [], reset: false });
  });

  it('gives each follower every fill after its cursor once, in order, in bounded batches', () => {
    const log = new FillFeedLog('f1', options);
    const first = log.read('gw-a', undefined, undefined, 0).batch;
    log.read('gw-b', undefined, undefined, 0);
    for (const t of ['t1', 't2', 't3', 't4']) log.append(wire(t), 1, everyone);
    const a1 = log.read('gw-a', 'f1', first.next, 2).batch;
    expect(trades(a1.fills)).toEqual(['t1', 't2', 't3']);
    const a2 = log.read('gw-a', 'f1', a1.next, 3).batch;
    expect(trades(a2.fills)).toEqual(['t4']);
    expect(log.hasAfter(a2.next)).toBe(false);
    // gw-b has fetched nothing yet: everything is still kept for it.
    expect(log.size).toBe(4);
    const b = log.read('gw-b', 'f1', 0, 4).batch;
    expect(trades(b.fills)).toEqual(['t1', 't2', 't3']);
    log.read('gw-b', 'f1', 4, 5);
    log.trim(5, everyone);
    // gw-a was given t4 but has not said it holds it (its next fetch does).
    expect(log.size).toBe(1);
    log.read('gw-a', 'f1', a2.next, 5);
    log.trim(5, everyone);
    expect(log.size).toBe(0);
  });

  it('drops a fill published again', () => {
    const log = new FillFeedLog('f1', options);
    log.read('gw-a', undefined, undefined, 0);
    expect(log.append(wire('t1'), 1, everyone)).toBe(true);
    expect(log.append(wire('t1'), 1, everyone)).toBe(false);
    expect(trades(log.read('gw-a', 'f1', 0, 2).batch.fills)).toEqual(['t1']);
  });

  it('resets a cursor of another activation to what it retains', () => {
    const log = new FillFeedLog('f2', options);
    log.read('gw-a', undefined, undefined, 0);
    log.append(wire('t7'), 1, everyone);
    const { batch, lost } = log.read('gw-a', 'f1', 42, 2);
    expect(batch.reset).toBe(true);
    expect(lost).toBe(0);
    expect(trades(batch.fills)).toEqual(['t7']);
    expect(batch.next).toBe(1);
  });

  it('counts what a follower further behind than `retain` lost, and resets it', () => {
    const log = new FillFeedLog('f1', options);
    log.read('gw-slow', undefined, undefined, 0);
    for (let i = 1; i <= 6; i++) log.append(wire(`t${i}`), 1, everyone);
    expect(log.size).toBe(4);
    const { batch, lost } = log.read('gw-slow', 'f1', 0, 2);
    expect(lost).toBe(2);
    expect(batch.reset).toBe(true);
    expect(trades(batch.fills)).toEqual(['t3', 't4', 't5']);
  });

  it('forgets followers that left the cluster or went silent', () => {
    const log = new FillFeedLog('f1', options);
    log.read('gw-gone', undefined, undefined, 0);
    log.read('gw-silent', undefined, undefined, 0);
    log.append(wire('t1'), 1, everyone);
    expect(log.unfetched(1, everyone).map((f) => f.tradeId)).toEqual(['t1']);
    expect(log.unfetched(1, (node) => node !== 'gw-gone')).toHaveLength(1);
    expect(log.unfetched(5_000, (node) => node !== 'gw-gone')).toEqual([]);
  });
});
