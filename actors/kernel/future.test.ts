import { afterEach, describe, expect, it, vi } from 'vitest';
import { isNinjaError } from '../../domain/errors.ts';
import { PendingRequests } from './future.ts';

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('PendingRequests deadlines (one shared timer)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails each request at its own deadline, whatever the order they were opened in, and not the answered ones', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const observed: string[] = [];
    const pending = new PendingRequests('sys', (kind) => observed.push(kind));
    const long = pending.open<string>('k', 'a/long', 'c-long', 300);
    const short = pending.open<string>('k', 'a/short', 'c-short', 100);
    const answered = pending.open<string>('k', 'a/answered', 'c-answered', 50);
    const results = [outcome(long.reply), outcome(short.reply), outcome(answered.reply)];
    expect(pending.resolve(answered.replyTo.requestId, 'yes')).toBe(true);

    await vi.advanceTimersByTimeAsync(99);
    expect(pending.size).toBe(2);
    await vi.advanceTimersByTimeAsync(2);
    expect(pending.size).toBe(1);
    await vi.advanceTimersByTimeAsync(198);
    expect(pending.size).toBe(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(pending.size).toBe(0);

    const [l, s, a] = await Promise.all(results);
    expect(a).toEqual({ value: 'yes' });
    for (const [result, identity, timeoutMs, correlationId] of [
      [l, 'a/long', 300, 'c-long'],
      [s, 'a/short', 100, 'c-short'],
    ] as const) {
      const error = (result as { error: unknown }).error;
      expect(isNinjaError(error) && error.code).toBe('DEADLINE_EXCEEDED');
      expect((error as Error).message).toBe(`request to ${identity} got no reply within ${timeoutMs} ms`);
      expect((error as { details?: unknown }).details).toEqual({ actor: identity, timeoutMs, correlationId });
    }
    expect(observed).toHaveLength(3);
    // A late reply to an expired request is refused.
    expect(pending.resolve(short.replyTo.requestId, 'late')).toBe(false);
  });

  it('arms one timer for many requests with the same timeout, and none while nothing is pending', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const pending = new PendingRequests('sys', () => undefined);
    for (let i = 0; i < 100; i += 1) {
      const { replyTo } = pending.open('k', 'a/b', undefined, 1_000);
      pending.resolve(replyTo.requestId, i);
    }
    for (let i = 0; i < 100; i += 1)
      void pending.open('k', 'a/b', undefined, 1_000).reply.catch(() => undefined);
    expect(vi.getTimerCount()).toBe(1);
    pending.rejectAll(() => new Error('stopped'));
    expect(vi.getTimerCount()).toBe(0);
  });
});
