import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameWriter, TextFrame } from '../../../gateway/ws/ws-frame.ts';
import { StreamFrames, wsStreamSink } from '../../../gateway/ws/ws-gateway.ts';
import { ClientStream, SlowClientError } from '../../../gateway/streams/client-stream.ts';
import { EncodeOnce } from '../../../gateway/streams/direct-sink.ts';
import { streamMetrics } from '../../../gateway/streams/stream-metrics.ts';
import { MetricsRegistry } from '../../../observability/index.ts';

/** A ws server on loopback and one client connected to it; the server side's socket is returned. */
async function connected(options: { readonly perMessageDeflate?: boolean } = {}) {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: options.perMessageDeflate ?? false,
  });
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const port = (server.address() as { port: number }).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, {
    perMessageDeflate: options.perMessageDeflate ?? false,
  });
  const received: string[] = [];
  client.on('message', (data: Buffer, isBinary) =>
    received.push(`${isBinary ? 'binary' : 'text'}:${data.toString('utf8')}`),
  );
  await once(client, 'open');
  const [ws] = (await accepted) as [WebSocket];
  servers.push(server);
  clients.push(client);
  return { ws, client, received };
}

const servers: WebSocketServer[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('FrameWriter', () => {
  it('writes prepared frames straight to the socket, in order with ws.send, of every length', async () => {
    const { ws, received } = await connected();
    const writer = new FrameWriter(ws);
    expect(writer.direct).toBe(true);
    const big = 'b'.repeat(70_000);
    ws.send('one');
    writer.send(new TextFrame('two'));
    ws.send('three');
    writer.send(new TextFrame(big));
    writer.send(new TextFrame('x'.repeat(300)));
    ws.send('four');
    await until(() => received.length === 6);
    expect(received).toEqual([
      'text:one',
      'text:two',
      'text:three',
      `text:${big}`,
      `text:${'x'.repeat(300)}`,
      'text:four',
    ]);
  });

  it('counts directly written bytes in bufferedAmount (backpressure reads the same)', async () => {
    const { ws, received } = await connected();
    const writer = new FrameWriter(ws);
    const before = ws.bufferedAmount;
    writer.send(new TextFrame('y'.repeat(32 * 1024 * 1024)));
    expect(ws.bufferedAmount).toBeGreaterThan(before);
    await until(() => received.length === 1);
    await until(() => ws.bufferedAmount === 0);
  });

  it('goes through ws.send when an extension (permessage-deflate) is negotiated', async () => {
    const { ws, received } = await connected({ perMessageDeflate: true });
    expect(ws.extensions).not.toBe('');
    const writer = new FrameWriter(ws);
    expect(writer.direct).toBe(false);
    ws.send('one');
    writer.send(new TextFrame('two'));
    await until(() => received.length === 2);
    expect(received).toEqual(['text:one', 'text:two']);
  });

  it('sends nothing once the connection is closing, and the close completes normally', async () => {
    const { ws, client, received } = await connected();
    const writer = new FrameWriter(ws);
    writer.send(new TextFrame('before'));
    const closed = once(client, 'close');
    ws.close(4008, 'too slow');
    writer.send(new TextFrame('after'));
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(4008);
    expect(reason.toString('utf8')).toBe('too slow');
    expect(received).toEqual(['text:before']);
    writer.send(new TextFrame('after close'));
  });
});

describe('wsStreamSink', () => {
  it('pushes back once the socket buffers more than its high-water mark: the backlog is replaced by a snapshot, then the stream ends as too slow', async () => {
    const { ws, client, received } = await connected();
    const metrics = streamMetrics(new MetricsRegistry());
    const frames = new EncodeOnce((message) => new StreamFrames(JSON.stringify(message)));
    const abort = new AbortController();
    const stream = new ClientStream<{ readonly n: number | 'snapshot'; readonly pad: string }>(
      'book',
      wsStreamSink(ws, 'r1', frames, abort.signal),
      abort.signal,
      { queueBound: 8, maxResyncs: 1, stallMs: 60_000 },
      metrics,
      () => ({ n: 'snapshot', pad: '' }),
    );
    const ended = stream.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    const pad = 'p'.repeat(16 * 1024);
    client.pause();
    let n = 0;
    const dropped = async () => (await metrics.backlogsDropped.get()).values.reduce((t, v) => t + v.value, 0);
    while ((await dropped()) === 0) {
      stream.push({ n: n++, pad });
      await new Promise((resolve) => setImmediate(resolve));
      if (n > 100_000) throw new Error('the socket never pushed back');
    }
    // While paused, the gateway holds at most the high-water mark on the socket plus the queue.
    expect(ws.bufferedAmount).toBeLessThan(64 * 1024 + 17 * 1024);
    client.resume();
    await until(() => received.some((text) => text.includes('"n":"snapshot"')));
    const numbers = received
      .map(
        (text) => (JSON.parse(text.slice('text:'.length)) as { stream: { n: number | 'snapshot' } }).stream.n,
      )
      .filter((value): value is number => value !== 'snapshot');
    expect(numbers).toEqual(numbers.map((_, i) => i)); // in order, no gap before the snapshot
    expect(numbers.length).toBeLessThan(n);

    // Paused again and never catching up: after maxResyncs drops, the stream ends as too slow.
    client.pause();
    while (!stream.ended) {
      stream.push({ n: n++, pad });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await ended).toBeInstanceOf(SlowClientError);
    abort.abort();
    client.resume();
  });
});
