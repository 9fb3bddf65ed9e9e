import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseFence } from './lease-fence.ts';
import type { FenceInfo } from './lease-fence.ts';

describe('LeaseFence', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function fence(): { fence: LeaseFence; fired: FenceInfo[] } {
    const fired: FenceInfo[] = [];
    return {
      fence: new LeaseFence({ ttlMs: 2000, safetyMarginMs: 500, onFence: (info) => fired.push(info) }),
      fired,
    };
  }

  it('fires safetyMargin before the earliest server expiry when no renewal is acknowledged', () => {
    const { fence: clock, fired } = fence();
    clock.arm(Date.now());
    vi.advanceTimersByTime(1499);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([
      { lastKeepaliveAt: 1_000_000, leaseExpiresNoEarlierThan: 1_002_000, at: 1_001_500 },
    ]);
  });

  it('anchors on the SEND time of the acknowledged keepalive, not the answer time', () => {
    const { fence: clock, fired } = fence();
    clock.arm(Date.now());
    vi.advanceTimersByTime(600);
    clock.sent(); // at +600
    vi.advanceTimersByTime(800); // answer arrives late, at +1400
    expect(clock.acknowledged()).toBe(600);
    expect(clock.deadlineAt).toBe(1_000_000 + 600 + 1500);
    vi.advanceTimersByTime(699);
    expect(fired).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveLength(1);
  });

  it('forgets requests of a reset stream and stays put', () => {
    const { fence: clock, fired } = fence();
    clock.arm(Date.now());
    vi.advanceTimersByTime(100);
    clock.sent();
    clock.streamReset();
    expect(clock.acknowledged()).toBeUndefined();
    expect(clock.deadlineAt).toBe(1_001_500);
    vi.advanceTimersByTime(1400);
    expect(fired).toHaveLength(1);
    expect(clock.expired()).toBe(true);
  });

  it('keeps a node whose renewals land in time unfenced, and stop() silences it', () => {
    const { fence: clock, fired } = fence();
    clock.arm(Date.now());
    for (let round = 0; round < 30; round++) {
      vi.advanceTimersByTime(667);
      clock.sent();
      vi.advanceTimersByTime(5);
      clock.acknowledged();
    }
    expect(fired).toHaveLength(0);
    expect(clock.expired()).toBe(false);
    clock.stop();
    vi.advanceTimersByTime(10_000);
    expect(fired).toHaveLength(0);
  });

  it('rejects a margin outside (0, ttl)', () => {
    expect(() => new LeaseFence({ ttlMs: 1000, safetyMarginMs: 1000, onFence: () => undefined })).toThrow(
      RangeError,
    );
  });
});
