import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from './internal.ts';
import { TokenSession } from './token-session.ts';
import type { RefreshReason } from './token-session.ts';
import type { Tokens } from './types.ts';

const MINUTE = 60_000;

function pair(n: number, issuedAt: number, accessLifetimeMs = 15 * MINUTE): Tokens {
  return {
    accessToken: `access-${String(n)}`,
    accessTokenExpireTime: new Date(issuedAt + accessLifetimeMs),
    refreshToken: `refresh-${String(n)}`,
    refreshTokenExpireTime: new Date(issuedAt + 30 * 24 * 60 * MINUTE),
  };
}

/** A session on a fake clock whose Refresh hands out numbered pairs and records its calls. */
function harness(options: { accessLifetimeMs?: number; refreshMarginMs?: number } = {}) {
  let now = 1_000_000;
  const calls: { refreshToken: string; reason: RefreshReason }[] = [];
  const stored: Tokens[] = [];
  let next = 2;
  const lifetime = options.accessLifetimeMs ?? 15 * MINUTE;
  const session = new TokenSession({
    tokens: pair(1, now, lifetime),
    now: () => now,
    refresh: (refreshToken, reason) => {
      calls.push({ refreshToken, reason });
      return Promise.resolve(pair(next++, now, lifetime));
    },
    onTokens: (tokens) => stored.push(tokens),
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
  });
  return { session, calls, stored, advance: (ms: number) => (now += ms), now: () => now };
}

describe('TokenSession', () => {
  it('uses the access token until a quarter of its lifetime (at most 60 s) is left, then refreshes', async () => {
    const { session, calls, stored, advance } = harness({ accessLifetimeMs: 15 * MINUTE });
    // 15 min lifetime → margin capped at 60 s: due at 14 min.
    advance(14 * MINUTE - 1);
    expect(await session.accessToken()).toBe('access-1');
    expect(calls).toEqual([]);
    advance(1);
    expect(await session.accessToken()).toBe('access-2');
    expect(calls).toEqual([{ refreshToken: 'refresh-1', reason: 'expiring' }]);
    expect(stored.map((t) => t.refreshToken)).toEqual(['refresh-2']);
  });

  it('refreshes short-lived tokens a quarter of their lifetime early', async () => {
    const { session, calls, advance } = harness({ accessLifetimeMs: 40_000 });
    advance(29_999);
    expect(await session.accessToken()).toBe('access-1');
    advance(1);
    expect(await session.accessToken()).toBe('access-2');
    expect(calls).toHaveLength(1);
  });

  it('honours an explicit margin', async () => {
    const { session, calls, advance } = harness({ refreshMarginMs: 5 * MINUTE });
    advance(10 * MINUTE - 1);
    await session.accessToken();
    expect(calls).toHaveLength(0);
    advance(1);
    await session.accessToken();
    expect(calls).toHaveLength(1);
  });

  it('shares one Refresh between concurrent callers (a refresh token works once)', async () => {
    const { session, calls, advance } = harness();
    advance(15 * MINUTE);
    const tokens = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()]);
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2']);
    expect(calls).toHaveLength(1);
  });

  it('after a rejection refreshes once, and not again for a token already replaced', async () => {
    const { session, calls } = harness();
    expect(await session.afterRejected('access-1')).toBe('access-2');
    // A second call that was in flight with the old token must not rotate again.
    expect(await session.afterRejected('access-1')).toBe('access-2');
    expect(calls).toEqual([{ refreshToken: 'refresh-1', reason: 'rejected' }]);
  });

  it('says to log in again when the refresh token itself has expired, without calling Refresh', async () => {
    const { session, calls, advance } = harness();
    advance(31 * 24 * 60 * MINUTE);
    await expect(session.accessToken()).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(session.accessToken()).rejects.toThrow(/log in again/);
    expect(calls).toEqual([]);
  });

  it('keeps the old pair when Refresh fails, and tries again on the next call', async () => {
    let now = 0;
    let fail = true;
    const session = new TokenSession({
      tokens: pair(1, 0),
      now: () => now,
      refresh: () => (fail ? Promise.reject(new Error('gateway down')) : Promise.resolve(pair(2, now))),
    });
    now = 15 * MINUTE;
    await expect(session.accessToken()).rejects.toThrow('gateway down');
    expect(session.tokens.accessToken).toBe('access-1');
    fail = false;
    expect(await session.accessToken()).toBe('access-2');
  });
});
