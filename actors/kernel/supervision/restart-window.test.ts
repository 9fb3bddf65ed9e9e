import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RestartWindow, validateIntensity } from './restart-window.ts';

describe('RestartWindow', () => {
  it('allows maxRestarts restarts within the window, then refuses', () => {
    const window = new RestartWindow({ maxRestarts: 3, withinMs: 1_000 });
    expect(window.request(0)).toEqual({ allowed: true, restartsInWindow: 1 });
    expect(window.request(10)).toEqual({ allowed: true, restartsInWindow: 2 });
    expect(window.request(20)).toEqual({ allowed: true, restartsInWindow: 3 });
    expect(window.request(30)).toEqual({ allowed: false, restartsInWindow: 3 });
  });

  it('forgets restarts older than the window (sliding, not fixed buckets)', () => {
    const window = new RestartWindow({ maxRestarts: 2, withinMs: 1_000 });
    window.request(0);
    window.request(500);
    expect(window.request(999).allowed).toBe(false);
    expect(window.request(1_000)).toEqual({ allowed: true, restartsInWindow: 2 });
    expect(window.request(1_600)).toEqual({ allowed: true, restartsInWindow: 2 });
  });

  it('starts the backoff over after a healthy window', () => {
    const window = new RestartWindow({ maxRestarts: 5, withinMs: 100 });
    window.request(0);
    window.request(10);
    expect(window.request(500).restartsInWindow).toBe(1);
  });

  it('maxRestarts 0 escalates the first failure', () => {
    expect(new RestartWindow({ maxRestarts: 0, withinMs: 100 }).request(0).allowed).toBe(false);
  });

  it('rejects invalid intensities', () => {
    expect(() => validateIntensity({ maxRestarts: -1, withinMs: 1 })).toThrow(InvalidArgumentError);
    expect(() => validateIntensity({ maxRestarts: 1.5, withinMs: 1 })).toThrow(InvalidArgumentError);
    expect(() => validateIntensity({ maxRestarts: 1, withinMs: 0 })).toThrow(InvalidArgumentError);
  });
});
