import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.ts';

describe('reconnectDelayMs', () => {
  const options = { initialMs: 100, maxMs: 1000 };

  it('doubles per attempt up to the cap, with the injected jitter deciding the random half', () => {
    const low = { ...options, random: () => 0 };
    const high = { ...options, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4, 5].map((a) => reconnectDelayMs(a, low))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((a) => reconnectDelayMs(a, high))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('is reproducible for the same random source', () => {
    const seq = (): (() => number) => {
      let i = 0;
      const values = [0.1, 0.7, 0.3];
      return () => values[i++ % values.length] ?? 0;
    };
    const a = seq();
    const b = seq();
    const first = [0, 1, 2].map((n) => reconnectDelayMs(n, { ...options, random: a }));
    expect([0, 1, 2].map((n) => reconnectDelayMs(n, { ...options, random: b }))).toEqual(first);
    expect(first).toEqual([55, 170, 260]);
  });
});
