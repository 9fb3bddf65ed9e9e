import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

interface DepthFrame {
  readonly stream: string;
  readonly data: { readonly U: number; readonly u: number; readonly b: string[][]; readonly a: string[][] };
}

describe('simulator diff depth is merged per update interval, as the venue sends it', () => {
  let h: Harness;
  let socket: WebSocket;
  const frames: DepthFrame[] = [];

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 10 });
    socket = new WebSocket(`${h.sim.wsUrl}/stream?streams=btcusd@depth@100ms/btcusd@depth`);
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as DepthFrame));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
  });
  afterAll(async () => {
    socket.close();
    await h.close();
  });

  it('sends one chained event per interval covering every engine change in it', async () => {
    // Let the seeding's own batches (up to 1000 ms old) go out first.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    frames.length = 0;
    const changed = h.sim.control.step(60);
    expect(changed).toBeGreaterThan(1);
    await until(() => frames.some((f) => f.stream === 'btcusd@depth'), 3000, 'the 1000 ms event');
    const fast = frames.filter((f) => f.stream === 'btcusd@depth@100ms');
    const slow = frames.filter((f) => f.stream === 'btcusd@depth');
    // Everything happened within one tick: one merged event per stream, spanning all the update ids.
    expect(fast).toHaveLength(1);
    expect(slow).toHaveLength(1);
    expect(fast[0]?.data.U).toBe(slow[0]?.data.U);
    expect(fast[0]?.data.u).toBe(slow[0]?.data.u);
    const span = (fast[0]?.data.u ?? 0) - (fast[0]?.data.U ?? 0) + 1;
    expect(span).toBeGreaterThan(1);
    // Each level appears once, with its final quantity.
    const prices = fast[0]?.data.b.map(([p]) => p) ?? [];
    expect(new Set(prices).size).toBe(prices.length);
    h.sim.control.step(10);
    await until(
      () => frames.filter((f) => f.stream === 'btcusd@depth@100ms').length === 2,
      3000,
      'next event',
    );
    const [first, second] = frames.filter((f) => f.stream === 'btcusd@depth@100ms');
    expect(second?.data.U).toBe((first?.data.u ?? 0) + 1);
  });
});
