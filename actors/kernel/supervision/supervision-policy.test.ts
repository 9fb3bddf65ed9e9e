import { describe, expect, it } from 'vitest';
import { Directive } from './directive.ts';
import { supervisionPolicy } from './supervision-policy.ts';

describe('supervisionPolicy', () => {
  it('defaults to restart with limits', () => {
    const policy = supervisionPolicy();
    expect(policy.decide(new Error('x'))).toBe(Directive.RESTART);
    expect(policy.intensity).toEqual({ maxRestarts: 5, withinMs: 30_000 });
    expect(policy.backoff).toEqual({ initialMs: 100, maxMs: 10_000, multiplier: 2, jitter: 0.2 });
  });

  it('merges partial options over the defaults', () => {
    const policy = supervisionPolicy({
      decide: () => Directive.STOP,
      intensity: { maxRestarts: 1 },
      backoff: { initialMs: 1 },
    });
    expect(policy.decide(new Error('x'))).toBe(Directive.STOP);
    expect(policy.intensity).toEqual({ maxRestarts: 1, withinMs: 30_000 });
    expect(policy.backoff.initialMs).toBe(1);
  });
});
