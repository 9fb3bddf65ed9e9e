import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-token-cache.ts';

describe('VerifiedTokenCache', () => {
  it('serves an entry only before its expiry', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('token', 'claims', 1_000);
    expect(cache.get('token', 999)).toBe('claims');
    expect(cache.get('token', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays bounded, dropping the oldest entry first', () => {
    const cache = new VerifiedTokenCache<number>(3);
    for (let i = 0; i < 5; i++) cache.set(`t${i}`, i, 10_000);
    expect(cache.size).toBe(3);
    expect(cache.get('t0', 0)).toBeUndefined();
    expect(cache.get('t4', 0)).toBe(4);
  });

  it('is keyed by the whole token: a changed token is a miss', () => {
    const cache = new VerifiedTokenCache<number>(3);
    cache.set('a.b.c', 1, 10_000);
    expect(cache.get('a.b.d', 0)).toBeUndefined();
  });
});
