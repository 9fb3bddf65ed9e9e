import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { backoffDelayMs, validateBackoff } from './backoff.ts';

const options = { initialMs: 100, maxMs: 1_000, multiplier: 2, jitter: 0.2 };

describe('backoffDelayMs', () => {
  it('grows exponentially from initialMs without jitter', () => {
    const none = { ...options, jitter: 0 };
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(none, n))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds maxMs', () => {
    expect(backoffDelayMs({ ...options, jitter: 0 }, 30)).toBe(1_000);
  });

  it('jitter shortens the delay by at most the jitter fraction', () => {
    expect(backoffDelayMs(options, 2, () => 0)).toBe(200);
    expect(backoffDelayMs(options, 2, () => 0.999999)).toBeCloseTo(160, 3);
    for (let i = 0; i < 1_000; i++) {
      const delay = backoffDelayMs(options, 3);
      expect(delay).toBeGreaterThan(320 - 1e-9);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  it('treats restart numbers below 1 as the first', () => {
    expect(backoffDelayMs({ ...options, jitter: 0 }, 0)).toBe(100);
  });

  it('rejects invalid options', () => {
    expect(() => validateBackoff({ ...options, jitter: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => validateBackoff({ ...options, maxMs: 50 })).toThrow(InvalidArgumentError);
    expect(() => validateBackoff({ ...options, multiplier: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => validateBackoff({ ...options, initialMs: -1 })).toThrow(InvalidArgumentError);
  });
});
