import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AlreadyExistsError,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from './internal.ts';
import { GatewayUnreachableError, UnimplementedError } from './errors.ts';
import { Idempotency, isRetryable, withRetries } from './retry-policy.ts';

const unreachable = new GatewayUnreachableError('127.0.0.1:1', 'cannot reach the gateway');
const transient = [
  new UnavailableError('node draining'),
  new DeadlineExceededError('deadline'),
  new AbortedError('conflict'),
  new ResourceExhaustedError('rate limited'),
];
const permanent = [
  new InvalidArgumentError('price', 'must be positive'),
  new NotFoundError('no such order'),
  new AlreadyExistsError('taken'),
  new PermissionDeniedError('needs trade scope'),
  new UnauthenticatedError('bad token'),
  new InternalError('bug'),
  new UnimplementedError('not served yet'),
];

describe('retry classification', () => {
  it('retries idempotent calls on transient statuses and on an unreachable gateway only', () => {
    for (const error of [...transient, unreachable])
      expect(isRetryable(error, Idempotency.IDEMPOTENT)).toBe(true);
    for (const error of permanent) expect(isRetryable(error, Idempotency.IDEMPOTENT)).toBe(false);
  });

  it('retries Login-like calls only when the request never left the process', () => {
    expect(isRetryable(unreachable, Idempotency.BEFORE_SEND_ONLY)).toBe(true);
    for (const error of [...transient, ...permanent]) {
      expect(isRetryable(error, Idempotency.BEFORE_SEND_ONLY)).toBe(false);
    }
  });

  it('never retries a PlaceOrder without a client order id', () => {
    for (const error of [...transient, ...permanent, unreachable]) {
      expect(isRetryable(error, Idempotency.NEVER)).toBe(false);
    }
  });
});

describe('withRetries', () => {
  const fast = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

  it('repeats a retryable failure up to maxAttempts in total, reporting each retry', async () => {
    let attempts = 0;
    const retried: number[] = [];
    const error = new UnavailableError('down');
    await expect(
      withRetries(
        () => {
          attempts += 1;
          return Promise.reject(error);
        },
        Idempotency.IDEMPOTENT,
        fast,
        (_e, attempt) => retried.push(attempt),
      ),
    ).rejects.toBe(error);
    expect(attempts).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('returns the first success', async () => {
    let attempts = 0;
    const result = await withRetries(
      () => (++attempts < 2 ? Promise.reject(new UnavailableError('down')) : Promise.resolve('ok')),
      Idempotency.IDEMPOTENT,
      fast,
      () => undefined,
    );
    expect(result).toBe('ok');
    expect(attempts).toBe(2);
  });

  it('does not repeat a failure the classification refuses', async () => {
    let attempts = 0;
    await expect(
      withRetries(
        () => {
          attempts += 1;
          return Promise.reject(new UnavailableError('down after sending'));
        },
        Idempotency.BEFORE_SEND_ONLY,
        fast,
        () => undefined,
      ),
    ).rejects.toThrow('down after sending');
    expect(attempts).toBe(1);
  });
});
