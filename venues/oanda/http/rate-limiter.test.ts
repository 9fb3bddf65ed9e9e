import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limiter.ts';

describe('TokenBucket', () => {
  it('serves a burst of perSecond at once, then makes the next caller wait', async () => {
    // A clock that moves only when the test moves it: a busy machine cannot make the burst "wait".
    let now = 1_000;
    const bucket = new TokenBucket(2, () => now);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(0);
    const third = bucket.acquire();
    await new Promise((resolve) => setTimeout(resolve, 20));
    now += 500;
    expect(await third).toBe(500);
  });

  it('holds everyone during a pause', async () => {
    const bucket = new TokenBucket(100);
    bucket.pause(50);
    expect(bucket.pausedUntil).toBeGreaterThan(Date.now());
    expect(await bucket.acquire()).toBeGreaterThan(0);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
  });
});
