import { describe, expect, it } from 'vitest';
import { NEVER_MS, takeToken } from './token-bucket.ts';
import type { TokenBucket } from './token-bucket.ts';

const limit = { burst: 3, perSecond: 2 };

describe('takeToken', () => {
  it('allows a full burst, then refuses with the time until the next token', () => {
    let bucket: TokenBucket | undefined;
    const allowed: boolean[] = [];
    let retryAfterMs = 0;
    for (let i = 0; i < 4; i++) {
      const result = takeToken(bucket, limit, 1_000);
      bucket = result.bucket;
      allowed.push(result.allowed);
      retryAfterMs = result.retryAfterMs;
    }
    expect(allowed).toEqual([true, true, true, false]);
    expect(retryAfterMs).toBe(500);
  });

  it('refills at the configured rate, never above the burst', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(takeToken(empty, limit, 499).allowed).toBe(false);
    expect(takeToken(empty, limit, 500).allowed).toBe(true);
    expect(takeToken(empty, limit, 60_000).bucket.tokens).toBe(2);
  });

  it('never refills a bucket whose rate is zero', () => {
    const result = takeToken({ tokens: 0, updatedAtMs: 0 }, { burst: 1, perSecond: 0 }, 1e9);
    expect(result.allowed).toBe(false);
    expect(result.retryAfterMs).toBe(NEVER_MS);
  });
});
