/**
 * Market data fan-out of one gateway node: 10,000 concurrent StreamOrderBook clients (half gRPC,
 * half WebSocket) served by ONE BookFeed (gateway/streams/) with the gateway's per-client queues and
 * slow-client policy, on real grpc-js and ws servers on loopback, while the book changes at a steady
 * rate. Measures delivery latency (book change timestamp in the update → client receipt) p99 and the
 * gateway process's RSS, and the CPU time per message of both the gateway and the clients' process.
 * The clients run in one child process on the same machine (2 cores), a load generator rather than
 * the product: each reads only what the measurement needs, the update time (gRPC: the response is
 * deserialised as its raw bytes and the Timestamp field read from the protobuf; WebSocket: the
 * timestamp text is found in the frame's JSON bytes, with no objects built). Full decoding is real
 * clients' own cost, on their own machines. Authentication and the dispatcher are not on this path
 * (they run once per stream open, not per message).
 * Run: `node cli/bin/run-ts.js bench/gateway-fanout.bench.ts`.
 * Exits non-zero when a target is missed. Bounded: about a minute.
 */
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connect } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Counter } from 'prom-client';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { WebSocket, WebSocketServer } from 'ws';
import type { BookUpdate } from '../actors/book/index.ts';
import { MetricsRegistry } from '../observability/index.ts';
import { createLogger } from '../observability/index.ts';
import type { StreamOrderBookRequest } from '../proto/gen/ninja/v1/market_data.ts';
import { MarketDataServiceService, StreamOrderBookResponse } from '../proto/gen/ninja/v1/market_data.ts';
import { BookFeed } from '../gateway/streams/book-feed.ts';
import type { BookClient } from '../gateway/streams/book-feed.ts';
import { ClientStream, DEFAULT_SLOW_CLIENT_POLICY } from '../gateway/streams/client-stream.ts';
import { streamMetrics } from '../gateway/streams/stream-metrics.ts';
import { EncodeOnce } from '../gateway/streams/direct-sink.ts';
import type { StreamSink } from '../gateway/api/method-definition.ts';
import { grpcStreamSink } from '../gateway/grpc/grpc-gateway-server.ts';
import { StreamFrames, wsStreamSink } from '../gateway/ws/ws-gateway.ts';
import { beside, machineLoad, percentile } from './support/stats.ts';

const P99_TARGET_MS = 50;
const RUN_TS = fileURLToPath(new URL('../cli/bin/run-ts.js', import.meta.url));
const BENCH_FILE = fileURLToPath(import.meta.url);
const CLIENTS_MODE = '--clients';
const RSS_TARGET_MB = 1024;

export interface FanoutBenchOptions {
  readonly grpcClients?: number;
  readonly wsClients?: number;
  /** Book changes per second. */
  readonly rate?: number;
  readonly seconds?: number;
}

export async function runFanoutBench(options: FanoutBenchOptions = {}): Promise<boolean> {
  const grpcClients = options.grpcClients ?? 5_000;
  const wsClients = options.wsClients ?? 5_000;
  const rate = options.rate ?? 10;
  const seconds = options.seconds ?? 20;
  const logger = createLogger({ level: 'warn' });
  const metrics = streamMetrics(new MetricsRegistry());
  const count = async (counter: Counter) => (await counter.get()).values.reduce((n, v) => n + v.value, 0);
  const sent = () => count(metrics.messagesSent);
  const feed = new BookFeed('book/paper/BTC-USD', { symbol: 'BTC-USD', venue: 'paper' }, logger);

  // gRPC server: the gateway's stream sink, each shared message encoded once and written as bytes.
  const method = MarketDataServiceService.streamOrderBook;
  const encoded = new EncodeOnce<Buffer>((value) =>
    method.responseSerialize(value as StreamOrderBookResponse),
  );
  const server = new Server({ 'grpc.max_concurrent_streams': 1_000 });
  server.addService(
    {
      streamOrderBook: {
        ...method,
        responseSerialize: (value: StreamOrderBookResponse | Buffer) =>
          Buffer.isBuffer(value) ? value : method.responseSerialize(value),
      },
    },
    {
      streamOrderBook: (call: ServerWritableStream<StreamOrderBookRequest, StreamOrderBookResponse>) => {
        const abort = new AbortController();
        call.once('cancelled', () => abort.abort());
        serve(feed, metrics, abort.signal, grpcStreamSink(call, abort.signal, encoded));
      },
    },
  );
  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
      error === null ? resolve(port) : reject(error),
    ),
  );
  // WebSocket server: the gateway's stream sink, one frame per message (and request id) for all sockets.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const frames = new EncodeOnce(
    (message) =>
      new StreamFrames(JSON.stringify(StreamOrderBookResponse.toJSON(message as StreamOrderBookResponse))),
  );
  wss.on('connection', (ws) => {
    const abort = new AbortController();
    ws.on('close', () => abort.abort());
    serve(feed, metrics, abort.signal, wsStreamSink(ws, '1', frames, abort.signal));
  });
  const wsPort = (wss.address() as { port: number }).port;

  // Clients in a child process (so RSS and CPU here are the gateway side's): it reports latencies.
  const child = fork(
    RUN_TS,
    [BENCH_FILE, CLIENTS_MODE, String(grpcPort), String(wsPort), String(grpcClients), String(wsClients)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  await waitUntil(
    () => feed.clients >= grpcClients + wsClients,
    90_000,
    () => `${feed.clients} connected`,
  );

  // The book: a snapshot, then one delta per tick at `rate` per second.
  let sequence = 1;
  const book = (kind: 'snapshot' | 'delta'): BookUpdate['update'] => {
    const wire = {
      instrumentId: 'BTC-USD.PAPER',
      sequence,
      bids: [[`${30_000 - (sequence % 10)}.00`, '1.5']] as [string, string][],
      asks: [[`${30_001 + (sequence % 10)}.00`, '2.5']] as [string, string][],
      timestamp: Date.now(),
    };
    sequence += 1;
    return kind === 'snapshot' ? { kind, book: wire } : { kind, delta: wire };
  };
  feed.onUpdate(book('snapshot'));
  let ticks = 0;
  const ticker = setInterval(() => {
    ticks += 1;
    feed.onUpdate(book('delta'));
  }, 1000 / rate);
  await delay(3_000);
  child.send('measure');
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const sentBefore = await sent();
  const ticksBefore = ticks;
  const droppedBefore = await count(metrics.backlogsDropped);
  const disconnectsBefore = await count(metrics.slowDisconnects);
  const cpuBefore = process.cpuUsage();
  await delay(seconds * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const written = (await sent()) - sentBefore;
  const ticked = ticks - ticksBefore;
  const dropped = (await count(metrics.backlogsDropped)) - droppedBefore;
  const disconnects = (await count(metrics.slowDisconnects)) - disconnectsBefore;
  const report = once(child, 'message');
  child.send('report');
  const [{ count: measured, received, cpuUs: clientCpuUs, p50, p99 }] = (await report) as [
    { count: number; received: number; cpuUs: number; p50: number; p99: number },
  ];
  clearInterval(ticker);
  clearInterval(sampler);
  child.kill();

  const rssMb = peakRss / 2 ** 20;
  const expected = (grpcClients + wsClients) * rate * seconds;
  console.log(
    `${grpcClients} gRPC + ${wsClients} ws clients, ${rate} book changes/s for ${seconds} s, clients in a child process; ${machineLoad()}`,
  );
  console.log(
    `deliveries measured ${measured} of ~${expected}; p50 ${p50} ms; book changes made ${ticked} of ${rate * seconds}; backlogs dropped (snapshot instead) ${dropped}; slow clients disconnected ${disconnects}`,
  );
  const cpuUs = cpu.user + cpu.system;
  console.log(
    beside(
      'gateway CPU per message written',
      `${(cpuUs / Math.max(1, written)).toFixed(2)} µs`,
      'reported (no target)',
      true,
    ) + ` (${written} written, ${(cpuUs / 1e6 / seconds).toFixed(2)} CPU s per s)`,
  );
  const latencyOk = p99 <= P99_TARGET_MS && measured > expected * 0.9;
  const rssOk = rssMb <= RSS_TARGET_MB;
  console.log(
    beside(
      'clients CPU per message received',
      `${(clientCpuUs / Math.max(1, received)).toFixed(2)} µs`,
      'reported (no target)',
      true,
    ) + ` (${received} received, ${(clientCpuUs / 1e6 / seconds).toFixed(2)} CPU s per s)`,
  );
  console.log(beside('delivery latency p99', `${p99.toFixed(1)} ms`, `≤ ${P99_TARGET_MS} ms`, latencyOk));
  console.log(beside('gateway process RSS peak', `${rssMb.toFixed(0)} MB`, `≤ ${RSS_TARGET_MB} MB`, rssOk));

  server.forceShutdown();
  wss.close();
  return latencyOk && rssOk;
}

/** The clients' side (child process): opens the streams, measures after 'measure', answers 'report'. */
async function runClients(
  grpcPort: number,
  wsPort: number,
  grpcClients: number,
  wsClients: number,
): Promise<void> {
  const method = MarketDataServiceService.streamOrderBook;
  const latencies: number[] = [];
  let received = 0;
  let measuring = false;
  let cpuAtStart = process.cpuUsage();
  const record = (updateMs: number | undefined): void => {
    if (!measuring) return;
    received += 1;
    if (updateMs !== undefined) latencies.push(Date.now() - updateMs);
  };
  // gRPC clients straight on node:http2 (gRPC's wire format: length-prefixed messages on HTTP/2
  // streams), 100 streams per connection: grpc-js's client machinery per message (interceptors,
  // retrying and resolving calls, object-mode streams) cost more CPU than the whole gateway side.
  const sessions: ClientHttp2Session[] = [];
  const perSession = 100;
  const request = method.requestSerialize({
    instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
    depth: 10,
  });
  const framedRequest = Buffer.alloc(5 + request.length);
  framedRequest.writeUInt32BE(request.length, 1);
  request.copy(framedRequest, 5);
  for (let i = 0; i < grpcClients; i++) {
    if (i % perSession === 0) {
      const session = connect(`http://127.0.0.1:${grpcPort}`);
      session.on('error', (error: Error) => console.error('gRPC client connection failed', error.message));
      sessions.push(session);
    }
    const stream = sessions[sessions.length - 1]!.request({
      ':method': 'POST',
      ':path': method.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.end(framedRequest);
    const messages = new GrpcMessages((bytes) => record(protoUpdateTimeMs(bytes)));
    stream.on('data', (chunk: Buffer) => messages.push(chunk));
    stream.on('error', () => undefined);
  }
  const sockets: WebSocket[] = [];
  for (let i = 0; i < wsClients; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`);
    ws.on('message', (data: Buffer) => record(jsonUpdateTimeMs(data)));
    ws.on('error', () => undefined);
    sockets.push(ws);
    if (i % 500 === 499) await delay(50);
  }
  process.on('message', (command) => {
    if (command === 'measure') {
      measuring = true;
      cpuAtStart = process.cpuUsage();
    }
    if (command === 'report') {
      measuring = false;
      const cpu = process.cpuUsage(cpuAtStart);
      process.send?.({
        count: latencies.length,
        received,
        cpuUs: cpu.user + cpu.system,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      });
    }
  });
  process.on('SIGTERM', () => {
    for (const ws of sockets) ws.terminate();
    for (const session of sessions) session.destroy();
    process.exit(0);
  });
}

/** Splits a gRPC response body into its messages (a 0 flag byte, a 4-byte length, the message). */
class GrpcMessages {
  private pending: Buffer | undefined;

  constructor(private readonly onMessage: (bytes: Buffer) => void) {}

  push(chunk: Buffer): void {
    let bytes = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    while (bytes.length >= 5) {
      const end = 5 + bytes.readUInt32BE(1);
      if (bytes.length < end) break;
      this.onMessage(bytes.subarray(5, end));
      bytes = bytes.subarray(end);
    }
    if (bytes.length > 0) this.pending = bytes;
  }
}

/** Where a WebSocket stream frame's `update` starts: `{"id":"1","stream":{"update":`. */
const WS_UPDATE = Buffer.from('"stream":{"update":');
const WS_UPDATE_TIME = Buffer.from('"updateTime":"');

/** The update time (ms) of a WebSocket `update` frame, read from its JSON bytes; undefined for others. */
export function jsonUpdateTimeMs(frame: Buffer): number | undefined {
  if (frame.indexOf(WS_UPDATE) === -1) return undefined;
  const at = frame.lastIndexOf(WS_UPDATE_TIME);
  if (at === -1) return undefined;
  const from = at + WS_UPDATE_TIME.length;
  const to = frame.indexOf(0x22, from);
  return Date.parse(frame.toString('latin1', from, to));
}

/**
 * The update time (ms) of a StreamOrderBookResponse's `update` (field 2), read from its protobuf
 * bytes: OrderBook.update_time is field 5, a Timestamp of seconds (1) and nanos (2).
 */
export function protoUpdateTimeMs(bytes: Buffer): number | undefined {
  const top = fieldAt(bytes, 0, bytes.length, 2);
  if (top === undefined) return undefined;
  const time = fieldAt(bytes, top.from, top.to, 5);
  if (time === undefined) return undefined;
  let seconds = 0;
  let nanos = 0;
  let at = time.from;
  while (at < time.to) {
    const tag = varint(bytes, at);
    const value = varint(bytes, tag.next);
    if (tag.value === 0x08) seconds = value.value;
    else if (tag.value === 0x10) nanos = value.value;
    at = value.next;
  }
  return seconds * 1000 + nanos / 1e6;
}

/** The bounds of the first length-delimited field `field` in bytes[from, to), skipping others. */
function fieldAt(
  bytes: Buffer,
  from: number,
  to: number,
  field: number,
): { from: number; to: number } | undefined {
  let at = from;
  while (at < to) {
    const tag = varint(bytes, at);
    const wireType = tag.value & 7;
    if (wireType === 0) {
      at = varint(bytes, tag.next).next;
      continue;
    }
    if (wireType !== 2) throw new Error(`unexpected wire type ${wireType} in a stream message`);
    const length = varint(bytes, tag.next);
    if (tag.value >>> 3 === field) return { from: length.next, to: length.next + length.value };
    at = length.next + length.value;
  }
  return undefined;
}

/** A varint of at most 53 bits (seconds since 1970 and nanos fit). */
function varint(bytes: Buffer, from: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let at = from;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated varint in a stream message');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: at };
    scale *= 128;
  }
}

/** One client stream fed by the feed, as FanoutHub.streamBook does. */
function serve(
  feed: BookFeed,
  metrics: ReturnType<typeof streamMetrics>,
  signal: AbortSignal,
  sink: StreamSink<unknown>,
): void {
  const stream: ClientStream<StreamOrderBookResponse> = new ClientStream<StreamOrderBookResponse>(
    'book',
    sink,
    signal,
    DEFAULT_SLOW_CLIENT_POLICY,
    metrics,
    (): StreamOrderBookResponse | undefined => feed.snapshotFor(client),
  );
  const client: BookClient = { stream, depth: 10, started: false };
  feed.addBookClient(client);
  stream
    .run()
    .catch((error: unknown) => console.error('stream ended', (error as Error).message))
    .finally(() => feed.bookClients.delete(client));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`clients did not all connect in time (${what()})`);
    await delay(100);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === CLIENTS_MODE) {
    const [grpcPort, wsPort, grpcClients, wsClients] = process.argv.slice(3).map(Number);
    await runClients(grpcPort ?? 0, wsPort ?? 0, grpcClients ?? 0, wsClients ?? 0);
  } else {
    const { values } = parseArgs({
      options: {
        'grpc-clients': { type: 'string' },
        'ws-clients': { type: 'string' },
        rate: { type: 'string' },
        seconds: { type: 'string' },
      },
    });
    const ok = await runFanoutBench({
      ...(values['grpc-clients'] === undefined ? {} : { grpcClients: Number(values['grpc-clients']) }),
      ...(values['ws-clients'] === undefined ? {} : { wsClients: Number(values['ws-clients']) }),
      ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
      ...(values.seconds === undefined ? {} : { seconds: Number(values.seconds) }),
    });
    process.exit(ok ? 0 : 1);
  }
}
