import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limiter.ts';

describe('TokenBucket', () => {
  it('serves a burst of perSecond at once, then makes the next caller wait', async () => {
    const bucket = new TokenBucket(2);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBeGreaterThan(0);
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
