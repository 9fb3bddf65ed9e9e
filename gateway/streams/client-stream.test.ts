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

/** A DirectSink that takes `room` messages, then pushes back until the test calls `writable()`. */
function directSink(room: number) {
  const written: string[] = [];
  let resume: (() => void) | undefined;
  let left = room;
  return {
    written,
    writable: (more: number) => {
      left = more;
      const r = resume;
      resume = undefined;
      r?.();
    },
    sink: {
      offer: (message: string) => {
        written.push(message);
        left -= 1;
        return left > 0;
      },
      onWritable: (r: () => void) => {
        resume = r;
      },
      write: () => Promise.reject(new Error('the direct path does not call write')),
    },
  };
}

describe('ClientStream over a DirectSink', () => {
  it('writes synchronously while the transport takes messages, queues while it pushes back, then drains in one go', () => {
    const abort = new AbortController();
    const direct = directSink(2);
    const stream = new ClientStream<string>(
      'book',
      direct.sink,
      abort.signal,
      policy,
      streamMetrics(new MetricsRegistry()),
      () => 'snapshot',
    );
    stream.push('a');
    expect(direct.written).toEqual(['a']); // no turn of the event loop needed
    stream.push('b'); // the transport is now full
    stream.push('c');
    stream.push('d');
    expect(direct.written).toEqual(['a', 'b']);
    direct.writable(10);
    expect(direct.written).toEqual(['a', 'b', 'c', 'd']);
    stream.push('e');
    expect(direct.written).toEqual(['a', 'b', 'c', 'd', 'e']);
    abort.abort();
    stream.push('f');
    expect(direct.written).toHaveLength(5);
  });

  it('ends with SlowClientError when one write stays untaken past stallMs', async () => {
    const abort = new AbortController();
    const direct = directSink(1);
    const stream = new ClientStream<string>(
      'trades',
      direct.sink,
      abort.signal,
      { queueBound: 100, maxResyncs: 3, stallMs: 20 },
      streamMetrics(new MetricsRegistry()),
      () => undefined,
    );
    const running = stream.run();
    stream.push('a'); // taken, and the transport pushes back
    await new Promise((resolve) => setTimeout(resolve, 40));
    stream.push('b');
    await expect(running).rejects.toBeInstanceOf(SlowClientError);
    expect(stream.ended).toBe(true);
  });
});

describe('stream metrics', () => {
  it('counts the messages handed to client streams when the counter is read, one tally per registry', async () => {
    const registry = new MetricsRegistry();
    const metrics = streamMetrics(registry);
    const abort = new AbortController();
    const sink = { write: () => Promise.resolve() };
    const book = new ClientStream<string>('book', sink, abort.signal, policy, metrics, () => undefined);
    const trades = new ClientStream<string>(
      'trades',
      sink,
      abort.signal,
      policy,
      streamMetrics(registry),
      () => undefined,
    );
    const sent = async (): Promise<Record<string, number>> =>
      Object.fromEntries(
        (await metrics.messagesSent.get()).values.map((v) => [String(v.labels['stream']), v.value]),
      );
    book.push('a');
    trades.push('t');
    expect(await sent()).toEqual({ book: 1, trades: 1 });
    await turn();
    book.push('b');
    expect(await sent()).toEqual({ book: 2, trades: 1 });
    expect(await registry.expose()).toMatchObject({
      body: expect.stringContaining('ninja_gateway_stream_messages_total{stream="book"} 2') as unknown,
    });
    abort.abort();
  });
});
