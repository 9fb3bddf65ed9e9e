import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlreadyExistsError, DeadlineExceededError, UnavailableError } from '../../domain/errors.ts';
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

  it('re-arms for an earlier deadline added later, and unreferences the timer when the last request ends', async () => {
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const pending = new PendingRequests(() => undefined);
    const errors: unknown[] = [];
    void pending.add('node-2', request('a'), 1_000).catch((error: unknown) => errors.push(error));
    void pending.add('node-2', request('b'), 10).catch((error: unknown) => errors.push(error));
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
    expect(pending.failPeer('node-2', () => new UnavailableError('gone'))).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors[1]).toBeInstanceOf(UnavailableError);
    // Still armed (for a's deadline), but it keeps no process alive; firing, it finds nothing.
    expect(vi.getTimerCount()).toBe(1);
    expect((armed.mock.results.at(-1)?.value as NodeJS.Timeout).hasRef()).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms one timer for requests that come and go in bursts, referenced only while some are pending', async () => {
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const pending = new PendingRequests(() => undefined);
    const answers: Promise<Envelope>[] = [];
    for (let burst = 0; burst < 5; burst += 1) {
      const ids = [0, 1, 2].map((i) => `burst-${String(burst)}-${String(i)}`);
      for (const id of ids) answers.push(pending.add('node-2', request(id), 5_000));
      const timer = armed.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(true);
      for (const id of ids) expect(pending.complete(response(id))).toBe(true);
      expect(timer.hasRef()).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
    }
    await Promise.all(answers);
    // One setTimeout for all five bursts (a clearTimeout and a new one per burst before).
    expect(armed).toHaveBeenCalledTimes(1);
    // A request whose deadline is earlier than the armed one re-arms it.
    void pending.add('node-2', request('short'), 10).catch(() => undefined);
    expect(armed).toHaveBeenCalledTimes(2);
    expect((armed.mock.results.at(-1)?.value as NodeJS.Timeout).hasRef()).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(pending.size).toBe(0);
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

  it('keeps generated ids (ring) and given ids apart, with more in flight than the ring has slots', async () => {
    const outcomes: RequestOutcome[] = [];
    const pending = new PendingRequests((outcome) => outcomes.push(outcome), 'p-');
    const generated = Array.from({ length: 2_500 }, () => pending.nextCorrelationId());
    expect(generated.slice(0, 2)).toEqual(['p-1', 'p-2']);
    const answers = generated.map((id) => pending.add('node-2', request(id), 1_000));
    // Given ids, among them some that look generated: a non-canonical sequence number, and the
    // form of an id not generated yet.
    const given = ['x', 'p-', 'p-01', 'p-2501', 'p-1x'];
    const givenAnswers = given.map((id) => pending.add('node-3', request(id), 1_000));
    expect(pending.size).toBe(generated.length + given.length);
    await expect(pending.add('node-2', request('p-1025'), 1_000)).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(pending.add('node-3', request('p-01'), 1_000)).rejects.toBeInstanceOf(AlreadyExistsError);
    // Generating p-2501 now finds it pending (given above).
    await expect(pending.add('node-2', request(pending.nextCorrelationId()), 1_000)).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    // Every other one answered, newest first; the rest fail with their peer.
    for (let i = generated.length - 2; i >= 0; i -= 2) {
      expect(pending.complete(response(generated[i] ?? ''))).toBe(true);
    }
    expect(pending.complete(response('p-1'))).toBe(false);
    expect(pending.complete(response('p-0002'))).toBe(false);
    expect(pending.failPeer('node-2', () => new UnavailableError('gone'))).toBe(generated.length / 2);
    expect(pending.size).toBe(given.length);
    for (const id of given) expect(pending.complete(response(id))).toBe(true);
    expect(pending.size).toBe(0);
    const settled = await Promise.allSettled([...answers, ...givenAnswers]);
    settled.slice(0, generated.length).forEach((result, i) => {
      if (result.status === 'fulfilled') expect(result.value.correlationId).toBe(generated[i]);
      else expect(result.reason).toBeInstanceOf(UnavailableError);
    });
    expect(
      settled.slice(generated.length).map((r) => r.status === 'fulfilled' && r.value.correlationId),
    ).toEqual(given);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(generated.length / 2 + given.length);
  });
});
