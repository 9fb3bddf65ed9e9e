import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { RollingCount } from './rolling-count.ts';
import { STRATEGY_RESTARTS, StrategyHealth } from './strategy-health.ts';

describe('StrategyHealth', () => {
  it('marks a strategy FAILED on the crash past the restart intensity, and says why', () => {
    let now = 0;
    const health = new StrategyHealth(new MetricsRegistry(), () => now);
    const id = 'strategy/mm-test';
    for (let i = 0; i < STRATEGY_RESTARTS.maxRestarts; i++) {
      expect(health.crashed(id, new Error(`boom ${i}`))).toBe(false);
      now += 1_000;
    }
    expect(health.isFailed(id)).toBe(false);
    expect(health.crashed(id, new TypeError('last straw'))).toBe(true);
    expect(health.isFailed(id)).toBe(true);
    expect(health.status(id)).toMatchObject({
      state: 'FAILED',
      crashes: 4,
      lastError: 'TypeError: last straw',
    });
    // Already FAILED: a further crash does not report the transition again.
    expect(health.crashed(id, new Error('again'))).toBe(false);
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const health = new StrategyHealth(new MetricsRegistry(), () => now);
    for (let i = 0; i < 10; i++) {
      expect(health.crashed('arbitrage/x', new Error('slow drip'))).toBe(false);
      now += STRATEGY_RESTARTS.withinMs / 2;
    }
    expect(health.status('arbitrage/x')).toMatchObject({ state: 'running', crashes: 10 });
  });
});

describe('RollingCount', () => {
  it('allows at most the limit within any window', () => {
    const count = new RollingCount(60_000, 2);
    expect(count.tryTake(0)).toBe(true);
    expect(count.tryTake(10)).toBe(true);
    expect(count.tryTake(20)).toBe(false);
    expect(count.tryTake(60_000)).toBe(true);
    count.setLimit(1);
    expect(count.tryTake(60_011)).toBe(false);
  });
});
