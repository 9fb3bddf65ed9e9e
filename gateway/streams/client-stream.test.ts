import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { ClientStream, SlowClientError } from './client-stream.ts';
import { streamMetrics } from './stream-metrics.ts';

const policy = { queueBound: 3, maxResyncs: 2, stallMs: 60_000 };

/** A sink whose writes resolve only when the test lets them. */
function heldSink() {
  const written: string[] = [];
  const pending: (() => void)[] = [];
  return {
    written,
    release: () => pending.splice(0).forEach((resolve) => resolve()),
    sink: {
      write: (message: string) => {
        written.push(message);
        return new Promise<void>((resolve) => pending.push(resolve));
      },
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ClientStream', () => {
  it('delivers in order while the transport keeps up', async () => {
    const abort = new AbortController();
    const written: string[] = [];
    const stream = new ClientStream<string>(
      'book',
      {
        write: (m) => {
          written.push(m);
          return Promise.resolve();
        },
      },
      abort.signal,
      policy,
      streamMetrics(new MetricsRegistry()),
      () => 'snapshot',
    );
    const running = stream.run();
    for (const m of ['a', 'b', 'c', 'd', 'e']) {
      stream.push(m);
      await turn();
    }
    abort.abort();
    await running;
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('replaces a full backlog by a snapshot, then ends with SlowClientError when it never catches up', async () => {
    const abort = new AbortController();
    const metrics = streamMetrics(new MetricsRegistry());
    const held = heldSink();
    const stream = new ClientStream<string>(
      'book',
      held.sink,
      abort.signal,
      policy,
      metrics,
      () => 'snapshot',
    );
    const running = stream.run();
    stream.push('first'); // taken by the transport, which then holds it
    await turn();
    for (const m of ['1', '2', '3', '4']) stream.push(m); // '4' finds the queue full
    held.release();
    await turn();
    await turn();
    expect(held.written).toEqual(['first', 'snapshot']);
    // Still held: two more full queues exceed maxResyncs (2).
    for (let i = 0; i < 8; i++) stream.push(`x${i}`);
    await expect(running).rejects.toBeInstanceOf(SlowClientError);
    expect((await metrics.backlogsDropped.get()).values[0]?.value).toBe(3);
    expect((await metrics.slowDisconnects.get()).values[0]?.value).toBe(1);
    stream.push('ignored');
    expect(stream.ended).toBe(true);
  });
});
