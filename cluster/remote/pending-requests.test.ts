import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, UnavailableError } from '../../domain/errors.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { PendingRequests } from './pending-requests.ts';
import type { RequestOutcome } from './pending-requests.ts';

const request = (correlationId: string): Envelope => ({
  target: 'counter/k',
  sender: 'node-1',
  type: 'ninja.v1.Test',
  payload: Buffer.alloc(0),
  correlationId,
  traceId: '',
  deadlineUnixMs: 0n,
  kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
  error: undefined,
});

const response = (correlationId: string): Envelope => ({
  ...request(correlationId),
  kind: EnvelopeKind.ENVELOPE_KIND_RESPONSE,
});

describe('PendingRequests deadlines (one shared timer)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails each request at its own deadline, never earlier, whatever order they were added in', async () => {
    const outcomes: RequestOutcome[] = [];
    const pending = new PendingRequests((outcome) => outcomes.push(outcome));
    const settled = new Map<string, unknown>();
    for (const [id, timeoutMs] of [
      ['slow', 100],
      ['fast', 30],
      ['middle', 60],
      ['answered', 80],
    ] as const) {
      pending.add('node-2', request(id), timeoutMs).then(
        (value) => settled.set(id, value),
        (error: unknown) => settled.set(id, error),
      );
    }
    await vi.advanceTimersByTimeAsync(29);
    expect([...settled.keys()]).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect([...settled.keys()]).toEqual(['fast']);
    expect(settled.get('fast')).toBeInstanceOf(DeadlineExceededError);
    await vi.advanceTimersByTimeAsync(30);
    expect([...settled.keys()]).toEqual(['fast', 'middle']);
    expect(pending.complete(response('answered'))).toBe(true);
    await vi.advanceTimersByTimeAsync(39);
    expect(settled.get('answered')).toMatchObject({ correlationId: 'answered' });
    expect(settled.has('slow')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled.get('slow')).toBeInstanceOf(DeadlineExceededError);
    expect(outcomes).toEqual(['timeout', 'timeout', 'ok', 'timeout']);
    expect(pending.size).toBe(0);
    // Nothing pending: no timer is left to keep the process alive.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-arms for an earlier deadline added later, and clears the timer when the last request ends', async () => {
    const pending = new PendingRequests(() => undefined);
    const errors: unknown[] = [];
    void pending.add('node-2', request('a'), 1_000).catch((error: unknown) => errors.push(error));
    void pending.add('node-2', request('b'), 10).catch((error: unknown) => errors.push(error));
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
    expect(pending.failPeer('node-2', () => new UnavailableError('gone'))).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors[1]).toBeInstanceOf(UnavailableError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settles each request with its own answer, whatever order the answers come in', async () => {
    const pending = new PendingRequests(() => undefined);
    const a = pending.add('node-2', request('a'), 1_000);
    const b = pending.add('node-2', request('b'), 1_000);
    const c = pending.add('node-3', request('c'), 1_000);
    expect(pending.complete(response('b'))).toBe(true);
    expect(pending.failPeer('node-3', () => new UnavailableError('gone'))).toBe(1);
    expect(pending.complete(response('a'))).toBe(true);
    expect(pending.complete(response('a'))).toBe(false);
    await expect(a).resolves.toMatchObject({ correlationId: 'a' });
    await expect(b).resolves.toMatchObject({ correlationId: 'b' });
    await expect(c).rejects.toBeInstanceOf(UnavailableError);
    expect(pending.size).toBe(0);
  });
});
