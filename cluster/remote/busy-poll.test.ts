import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { BusyPoller, NO_BUSY_POLL } from './busy-poll.ts';
import type { BusyPollOptions } from './busy-poll.ts';
import { remoteMetrics } from './metrics.ts';
import { resolveRemoteOptions } from './remote-transport-options.ts';
import { testLogger } from '../../test/support/index.ts';

/** One turn of the event loop's check phase (where the poller's immediates run). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await turn();
}

async function polledSeconds(registry: MetricsRegistry): Promise<number> {
  const metric = registry.registry.getSingleMetric('ninja_remote_busy_poll_seconds_total');
  return (await metric?.get())?.values[0]?.value ?? Number.NaN;
}

/** A poller on a clock the test sets (ms); every reading advances it by `tick` (the spin reads it). */
function poller(options: Partial<BusyPollOptions>, hasPending: () => boolean, tick = 0) {
  const registry = new MetricsRegistry();
  const clock = { ms: 0, reads: 0 };
  const now = (): number => {
    clock.reads += 1;
    clock.ms += tick;
    return clock.ms;
  };
  const busy = new BusyPoller(
    { ...NO_BUSY_POLL, ...options },
    hasPending,
    remoteMetrics(registry).busyPollSeconds,
    now,
  );
  return { registry, clock, busy };
}

describe('the busy-poll idle strategy', () => {
  it('is off by default: traffic starts no polling', async () => {
    const { registry, busy } = poller({}, () => true);
    expect(busy.enabled).toBe(false);
    busy.requestSent();
    busy.frameReceived();
    expect(busy.polling).toBe(false);
    await turns(3);
    expect(await polledSeconds(registry)).toBe(0);
  });

  it('polls while requests are pending and stops at the first turn with none, counting the time', async () => {
    let pending = true;
    const { registry, clock, busy } = poller({ whilePendingMicros: 1_000_000 }, () => pending);
    busy.requestSent();
    expect(busy.polling).toBe(true);
    await turns(5);
    expect(busy.polling).toBe(true);
    clock.ms = 7;
    pending = false;
    await turns(2);
    expect(busy.polling).toBe(false);
    expect(await polledSeconds(registry)).toBeCloseTo(0.007, 9);
  });

  it('stops at its bound while requests are still pending', async () => {
    const { clock, busy } = poller({ whilePendingMicros: 2_000 }, () => true);
    busy.requestSent();
    clock.ms = 1.999;
    await turns(3);
    expect(busy.polling).toBe(true);
    clock.ms = 2;
    await turns(2);
    expect(busy.polling).toBe(false);
  });

  it('polls for its bound after each inbound frame, each frame extending it', async () => {
    const { clock, busy } = poller({ afterInboundMicros: 10_000 }, () => false);
    busy.frameReceived();
    clock.ms = 8;
    busy.frameReceived();
    clock.ms = 17;
    await turns(3);
    expect(busy.polling).toBe(true);
    clock.ms = 18;
    await turns(2);
    expect(busy.polling).toBe(false);
  });

  it('spins within a turn until its spin time has passed on the clock', async () => {
    // Each clock reading advances 1 µs: a 50 µs spin reads the clock about 50 times per turn.
    const { clock, busy } = poller({ afterInboundMicros: 1_000_000, spinMicros: 50 }, () => false, 0.001);
    busy.frameReceived();
    const before = clock.reads;
    await turn();
    await turn();
    expect(clock.reads - before).toBeGreaterThanOrEqual(50);
    clock.ms = 2_000;
    await turns(2);
    expect(busy.polling).toBe(false);
  });

  it('refuses option values that are not a finite number of µs >= 0 (they would turn it off silently)', () => {
    const base = { logger: testLogger(), metrics: new MetricsRegistry() };
    expect(resolveRemoteOptions(base).busyPoll).toEqual(NO_BUSY_POLL);
    expect(resolveRemoteOptions({ ...base, busyPoll: { afterInboundMicros: 1500 } }).busyPoll).toEqual({
      ...NO_BUSY_POLL,
      afterInboundMicros: 1500,
    });
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY])
      expect(() => resolveRemoteOptions({ ...base, busyPoll: { whilePendingMicros: bad } })).toThrow(
        /busyPoll.whilePendingMicros/,
      );
  });
});
