/**
 * Remote messaging between two node processes on loopback with mutual TLS: one-way envelopes/s
 * through the cluster transport vs a bare grpc-js bidi stream carrying the same 100-byte payloads
 * 100 to a write, in the same run; then request round-trip latency at a steady 10,000 requests/s,
 * answered by the receiver's `deliver` itself and then by an actor behind it (as a node answers).
 * Run: `node cli/bin/run-ts.js bench/remote-messaging.bench.ts`. Exits non-zero when a target is missed.
 * The sender and the receiver (`--receiver <certDir>`) are this same file started as child
 * processes with a deployed node's flags (`nodeFlags()`); the process started only waits for the
 * sender. Node flags given to it (e.g. `--cpu-prof`) are passed on to the sender, so a profile of the
 * waiting process is written too (idle). Environment: BENCH_REMOTE_PHASES, BENCH_REQUEST_SECONDS,
 * BENCH_NODE_FLAGS, BENCH_RECEIVER_NODE_ARGS, BENCH_FLUSH, BENCH_MAX_BATCH, BENCH_BUSY_POLL,
 * BENCH_RECEIVER_BUSY_POLL, BENCH_FLOW_WINDOW, BENCH_BARE_FLOW_WINDOW, BENCH_REQUEST_STAMPS,
 * BENCH_NICE_HELPERS (bench/support/helper-threads.ts; applied when a latency phase starts).
 * BENCH_REQUEST_STAMPS=1 stamps every request of the measured request phases where it passes
 * between the two processes and prints how the slow ones' time splits
 * (bench/support/remote-request-stamps.ts); off, the transport runs without its frame tap.
 *
 * Equivalent work on both sides: two processes (as a cluster runs), mutual TLS, the same 100-byte
 * payloads written in batches (the bare stream 100 per write, the transport up to 256 per batch
 * frame), and on the receiving side every payload handed to an application callback as a view of
 * the frame. The transport also carries what the bare stream has not: per-envelope target, sender,
 * type and kind (≈ 47 bytes more per message on the wire), decoded on receipt; that overhead is
 * what the ratio measures. The request phase is preceded by a discarded warm-up second at the same
 * rate, so the measured seconds do not include the request path's first, unoptimized runs.
 */
import { Client, Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServerDuplexStream, ServerUnaryCall, ServiceError, sendUnaryData } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram, NodeGCPerformanceDetail, PerformanceEntry } from 'node:perf_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createActorSystem, defineActor } from '../actors/index.ts';
import type { ReplyTo } from '../actors/index.ts';
import { FlushScheduling, NO_BUSY_POLL, RemoteTransport } from '../cluster/remote/index.ts';
import type { BusyPollOptions, InboundPeer } from '../cluster/remote/index.ts';
import { loadOrCreateClusterTls } from '../cluster/tls/index.ts';
import { dialCredentials } from '../cluster/tls/dial.ts';
import { widenServerWindows } from '../cluster/remote/flow-control.ts';
import type { ClusterTls } from '../cluster/tls/index.ts';
import { isNinjaError } from '../domain/errors.ts';
import { createLogger, MetricsRegistry } from '../observability/index.ts';
import { EnvelopeKind } from '../proto/index.ts';
import type { Envelope } from '../proto/index.ts';
import { RECOMMENDED_NODE_FLAGS } from '../nodes/node-flags.ts';
import { helperThreadsNice, niceHelperThreads } from './support/helper-threads.ts';
import {
  StampRecorder,
  describeBursts,
  describeStamps,
  markPayload,
  stampsEnabled,
} from './support/remote-request-stamps.ts';
import { NO_SCHED, describeSched, readSched, schedDelta } from './support/remote-scheduling.ts';
import type { SchedCounts } from './support/remote-scheduling.ts';

const PAYLOAD_BYTES = 100;
const BARE_PER_WRITE = 100;
const SEND_CHUNK = 4096;
const BARE_PATH = '/bench.BareStream/Stream';
const BARE_UNARY_PATH = '/bench.BareStream/Unary';
const BARE_ECHO_PATH = '/bench.BareStream/Echo';
const raw = (b: Buffer): Buffer => b;
const ECHO_TYPE = 'bench.Echo';
/** First payload byte of the bench's own requests (`control`); echo payloads are filled with 3. */
const CONTROL_MARK = 0xc0;
const CONTROL = { cpu: 1, count: 2, loopStart: 3, loopStop: 4, stamps: 5 } as const;

export interface RemoteMessagingResult {
  readonly transportMsgPerSec: number;
  readonly bareMsgPerSec: number;
  readonly ratio: number;
  readonly requestP50Ms: number;
  readonly requestP99Ms: number;
  readonly requestsPerSec: number;
  readonly pass: boolean;
}

function logger(name: string): ReturnType<typeof createLogger> {
  return createLogger({
    level: process.env.NINJA_BENCH_LOG_LEVEL ?? 'error',
    name,
    destination: process.stderr,
  });
}

/** BENCH_FLUSH=microtask writes partly filled batches at the end of the microtask queue (both processes). */
function flushScheduling(): FlushScheduling {
  const chosen = process.env.BENCH_FLUSH ?? FlushScheduling.IMMEDIATE;
  if (chosen !== FlushScheduling.IMMEDIATE && chosen !== FlushScheduling.MICROTASK)
    throw new Error(`BENCH_FLUSH must be immediate or microtask; got ${chosen}`);
  return chosen;
}

/**
 * BENCH_BUSY_POLL=<whilePendingµs>,<afterInboundµs>,<spinµs> turns on the transport's busy-poll
 * idle strategy in both processes (BENCH_RECEIVER_BUSY_POLL, if set, in the receiver instead);
 * unset or empty: off, as a node runs by default.
 */
function busyPoll(receiver = false): BusyPollOptions {
  const spec =
    (receiver ? process.env.BENCH_RECEIVER_BUSY_POLL : undefined) ?? process.env.BENCH_BUSY_POLL ?? '';
  if (spec.trim().length === 0) return NO_BUSY_POLL;
  const [whilePendingMicros, afterInboundMicros, spinMicros] = spec.split(',').map(Number);
  const options = { whilePendingMicros, afterInboundMicros, spinMicros };
  if (!Object.values(options).every((v) => v !== undefined && Number.isFinite(v) && v >= 0))
    throw new Error(`BENCH_BUSY_POLL must be <whilePendingµs>,<afterInboundµs>,<spinµs>; got ${spec}`);
  return options as BusyPollOptions;
}

function describeBusyPoll(options: BusyPollOptions): string {
  return options.whilePendingMicros === 0 && options.afterInboundMicros === 0
    ? 'off'
    : `while pending ${String(options.whilePendingMicros)} µs, after inbound ${String(options.afterInboundMicros)} µs, spin ${String(options.spinMicros)} µs`;
}

/** BENCH_FLOW_WINDOW=<bytes> sets both transports' HTTP/2 receive windows (default: the transport's, 8 MiB). */
function flowWindow(): { readonly flowControlWindowBytes?: number } {
  const bytes = process.env.BENCH_FLOW_WINDOW;
  return bytes === undefined || bytes === '' ? {} : { flowControlWindowBytes: Number(bytes) };
}

/**
 * BENCH_BARE_FLOW_WINDOW=<bytes> gives the bare grpc-js streams the same kind of HTTP/2 windows as
 * the transport (both sides), to compare the two with equal flow control; unset: grpc-js defaults
 * (64 KiB), the bare stream as the target defines it.
 */
function bareFlowWindow(): number | undefined {
  const bytes = process.env.BENCH_BARE_FLOW_WINDOW;
  return bytes === undefined || bytes === '' ? undefined : Number(bytes);
}

// ---------- receiver (child process) ----------

/**
 * What a process went through during a latency phase: event-loop delay (perf_hooks histogram,
 * 1 ms resolution), garbage-collection pauses in ms (all of them, and the scavenges apart), and the
 * CPU time (user + system) it spent, in ms.
 */
interface LoopReport {
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  readonly gcPauses: number;
  /** Each GC pause as [start, duration] in ms, the start as epoch time (comparable across processes). */
  readonly gcWindows: readonly Window[];
  readonly gcTotalMs: number;
  readonly gcMaxMs: number;
  readonly scavenges: number;
  readonly cpuMs: number;
  /** Bytes allocated on the JS heap (collected objects included; AllocationCounter). */
  readonly allocatedBytes: number;
  /** Batch frames the transport wrote and read, and the envelopes in them (`ninja_remote_batch_size`). */
  readonly batches: BatchCounts;
  /** Time the transport kept the loop polling (busy-poll idle strategy), ms. */
  readonly polledMs: number;
  /** What the scheduler did to the process (run-queue waits, preemptions) and the host's steal. */
  readonly sched: SchedCounts;
}

interface BatchCounts {
  readonly outBatches: number;
  readonly outEnvelopes: number;
  readonly inBatches: number;
  readonly inEnvelopes: number;
}

const NO_BATCHES: BatchCounts = { outBatches: 0, outEnvelopes: 0, inBatches: 0, inEnvelopes: 0 };

/**
 * The transport's batch counts so far, from its batch-size histogram: how many envelopes share a
 * write (and a read) is what a request's CPU follows, whatever the machine's load.
 */
async function batchCounts(registry: MetricsRegistry): Promise<BatchCounts> {
  const metric = registry.registry.getSingleMetric('ninja_remote_batch_size');
  if (metric === undefined) return NO_BATCHES;
  const counts = { outBatches: 0, outEnvelopes: 0, inBatches: 0, inEnvelopes: 0 };
  for (const value of (await metric.get()).values) {
    const name = (value as { readonly metricName?: string }).metricName;
    const direction = value.labels.direction === 'in' ? 'in' : 'out';
    if (name === 'ninja_remote_batch_size_count') counts[`${direction}Batches`] += value.value;
    else if (name === 'ninja_remote_batch_size_sum') counts[`${direction}Envelopes`] += value.value;
  }
  return counts;
}

/**
 * Bytes allocated on the JS heap between start and stop, exactly: what the heap's used size grew
 * by, plus what each collection in between freed (v8.GCProfiler reports the heap before and after
 * each). What is allocated per request sets how often scavenges come, whatever the machine's load,
 * where pause lengths and loop delays swing with it. Until session 9 this was V8's sampling heap
 * profiler (one sample per 16 KB, collected objects included), which cost each process 3.5-5.5 µs
 * (sender) and 1.2-4 µs (receiver) of CPU per request and a scavenge or so per measured second
 * while it measured (docs/remoting.md, "Session 9").
 */
class AllocationCounter {
  private profiler: GCProfiler | undefined;
  private usedAtStart = 0;

  start(): void {
    this.profiler = new GCProfiler();
    this.profiler.start();
    this.usedAtStart = getHeapStatistics().used_heap_size;
  }

  /** The bytes allocated since start; NaN when not started. */
  stop(): number {
    const profiler = this.profiler;
    if (profiler === undefined) return Number.NaN;
    this.profiler = undefined;
    const usedAtStop = getHeapStatistics().used_heap_size;
    let freed = 0;
    for (const gc of profiler.stop().statistics) {
      freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
    }
    return usedAtStop - this.usedAtStart + freed;
  }
}

/** Seconds the transport's busy-poll idle strategy has kept the loop polling so far. */
async function polledSeconds(registry: MetricsRegistry): Promise<number> {
  const metric = registry.registry.getSingleMetric('ninja_remote_busy_poll_seconds_total');
  if (metric === undefined) return 0;
  return (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);
}

class LoopProbe {
  private histogram: IntervalHistogram | undefined;
  private batchesBefore: BatchCounts = NO_BATCHES;
  private polledBefore = 0;
  private observer: PerformanceObserver | undefined;
  private pauses: number[] = [];
  private windows: Window[] = [];
  private scavenges = 0;
  private cpu: NodeJS.CpuUsage | undefined;
  private schedAtStart: SchedCounts = NO_SCHED;
  private readonly allocation = new AllocationCounter();

  /** `registry` is the transport's, for its batch counts. */
  constructor(private readonly registry: MetricsRegistry) {}

  async start(): Promise<void> {
    await this.stop();
    this.batchesBefore = await batchCounts(this.registry);
    this.polledBefore = await polledSeconds(this.registry);
    this.pauses = [];
    this.windows = [];
    this.scavenges = 0;
    this.histogram = monitorEventLoopDelay({ resolution: 1 });
    this.histogram.enable();
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.pauses.push(entry.duration);
        this.windows.push([performance.timeOrigin + entry.startTime, entry.duration]);
        // A gc entry's `detail` is a NodeGCPerformanceDetail; the typings do not say so on the entry.
        const detail = (entry as PerformanceEntry & { readonly detail?: NodeGCPerformanceDetail }).detail;
        if (detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) this.scavenges += 1;
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    // Threads made since the process started (libuv's pool is made on first use) get it too.
    niceHelperThreads();
    this.cpu = process.cpuUsage();
    this.schedAtStart = readSched();
    this.allocation.start();
  }

  async stop(): Promise<LoopReport> {
    const allocatedBytes = this.allocation.stop();
    const sched = this.cpu === undefined ? NO_SCHED : schedDelta(this.schedAtStart, readSched());
    const cpu = this.cpu === undefined ? undefined : process.cpuUsage(this.cpu);
    const histogram = this.histogram;
    histogram?.disable();
    this.observer?.disconnect();
    this.histogram = undefined;
    this.observer = undefined;
    this.cpu = undefined;
    const before = this.batchesBefore;
    const after = await batchCounts(this.registry);
    const polledMs = ((await polledSeconds(this.registry)) - this.polledBefore) * 1000;
    return {
      polledMs,
      sched,
      delayP99Ms: histogram === undefined ? Number.NaN : histogram.percentile(99) / 1e6,
      delayMaxMs: histogram === undefined ? Number.NaN : histogram.max / 1e6,
      gcPauses: this.pauses.length,
      gcWindows: this.windows,
      gcTotalMs: this.pauses.reduce((a, b) => a + b, 0),
      gcMaxMs: Math.max(0, ...this.pauses),
      scavenges: this.scavenges,
      cpuMs: cpu === undefined ? Number.NaN : (cpu.user + cpu.system) / 1e3,
      allocatedBytes,
      batches: {
        outBatches: after.outBatches - before.outBatches,
        outEnvelopes: after.outEnvelopes - before.outEnvelopes,
        inBatches: after.inBatches - before.inBatches,
        inEnvelopes: after.inEnvelopes - before.inEnvelopes,
      },
    };
  }
}

function describeLoop(report: LoopReport, requests: number): string {
  return `loop delay p99 ${report.delayP99Ms.toFixed(1)} / max ${report.delayMaxMs.toFixed(1)} ms, GC ${String(report.gcPauses)} pauses (${String(report.scavenges)} scavenges) ${report.gcTotalMs.toFixed(0)} ms (max ${report.gcMaxMs.toFixed(1)}), CPU ${((report.cpuMs * 1e3) / requests).toFixed(1)} µs/request, allocated ${(report.allocatedBytes / requests / 1024).toFixed(2)} KB/request, ${describeBatches(report.batches)}, busy-polled ${report.polledMs.toFixed(0)} ms, ${describeSched(report.sched)}`;
}

function describeBatches(b: BatchCounts): string {
  const mean = (envelopes: number, batches: number): string =>
    batches === 0 ? '-' : (envelopes / batches).toFixed(2);
  return `batches out ${String(b.outBatches)} (${mean(b.outEnvelopes, b.outBatches)} envelopes each), in ${String(b.inBatches)} (${mean(b.inEnvelopes, b.inBatches)})`;
}

interface EchoMsg {
  readonly payload: Uint8Array;
  readonly replyTo: ReplyTo<Uint8Array>;
}

async function runReceiver(certDir: string): Promise<void> {
  const tls = await loadOrCreateClusterTls(certDir, 'receiver');
  let received = 0;
  const registry = new MetricsRegistry();
  // `bench.ActorEcho` requests are answered by an actor, the way a node delivers a peer's request
  // (cluster/node/inbound-delivery.ts: an async deliver, `system.request`, then `respond`).
  const actors = createActorSystem({
    name: 'bench-receiver',
    logger: logger('receiver-actors'),
    metrics: registry,
  });
  const echoActor = actors.spawn(
    defineActor<number, EchoMsg>({
      kind: 'bench-echo',
      initialState: () => 0,
      receive: (handled, msg, ctx) => {
        ctx.reply(msg.replyTo, msg.payload);
        return handled + 1;
      },
    }),
    'one',
  );
  const actorEcho = async (envelope: Envelope, from: InboundPeer): Promise<void> => {
    const reply = await actors.request<Uint8Array, EchoMsg>(
      echoActor,
      (replyTo) => ({ payload: envelope.payload, replyTo }),
      { timeoutMs: 5000, correlationId: envelope.correlationId },
    );
    from.respond(envelope, { type: ECHO_TYPE, payload: reply });
  };
  const probe = new LoopProbe(registry);
  const stamps = stampsEnabled() ? new StampRecorder(STAMP_CAPACITY) : undefined;
  // The bench's own requests (see `control` on the sender's side); answered outside `deliver`'s
  // return value, as the echo is, so that none takes a path of the transport the echo does not.
  const control = (op: number, envelope: Envelope, from: InboundPeer): void => {
    const answer = (payload: Buffer): void => from.respond(envelope, { type: ECHO_TYPE, payload });
    const failed = (error: unknown): void => from.fail(envelope, error);
    if (op === CONTROL.cpu) {
      const cpu = process.cpuUsage();
      answer(Buffer.from(String(cpu.user + cpu.system)));
    } else if (op === CONTROL.count) answer(Buffer.from(String(received)));
    else if (op === CONTROL.loopStart) {
      stamps?.reset();
      probe.start().then(() => answer(Buffer.from('started')), failed);
    } else if (op === CONTROL.stamps) answer(stamps === undefined ? Buffer.alloc(1) : stamps.serialize());
    else if (op === CONTROL.loopStop)
      probe.stop().then((report) => answer(Buffer.from(JSON.stringify(report))), failed);
    else failed(new Error(`unknown bench control ${String(op)}`));
  };
  const transport = new RemoteTransport({
    logger: logger('receiver'),
    metrics: registry,
    flushScheduling: flushScheduling(),
    busyPoll: busyPoll(true),
    ...flowWindow(),
    ...(stamps === undefined ? {} : { frameTap: stamps }),
  });
  const { address } = await transport.start({
    listen: '127.0.0.1:0',
    tls,
    nodeId: 'receiver',
    clusterName: 'bench',
    deliver: (envelope, from): void | Promise<void> => {
      if (envelope.kind === EnvelopeKind.ENVELOPE_KIND_MESSAGE) {
        received += 1;
        return undefined;
      }
      if (envelope.type === ECHO_TYPE && envelope.payload[0] === CONTROL_MARK) {
        control(envelope.payload[1] ?? 0, envelope, from);
        return undefined;
      }
      if (envelope.type === 'bench.ActorEcho') return actorEcho(envelope, from);
      from.respond(envelope, { type: ECHO_TYPE, payload: envelope.payload });
      return undefined;
    },
  });

  const bare = new Server();
  bare.addService(
    {
      stream: {
        path: BARE_PATH,
        requestStream: true,
        responseStream: true,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
        originalName: 'Stream',
      },
      unary: {
        path: BARE_UNARY_PATH,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
        originalName: 'Unary',
      },
      echo: {
        path: BARE_ECHO_PATH,
        requestStream: true,
        responseStream: true,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
        originalName: 'Echo',
      },
    },
    {
      stream: (call: ServerDuplexStream<Buffer, Buffer>) => {
        let count = 0;
        // Like the transport's `deliver`, each payload view is handed to an application handler.
        const onPayload = (payload: Buffer): void => {
          if (payload.length > 0) count += 1;
        };
        call.on('data', (frame: Buffer) => {
          // Minimal parse: walk the repeated-bytes elements and hand a view of each payload over.
          let at = 0;
          while (at < frame.length) {
            let length = 0;
            let shift = 0;
            at += 1;
            for (;;) {
              const byte = frame[at++] ?? 0;
              length |= (byte & 0x7f) << shift;
              if (byte < 0x80) break;
              shift += 7;
            }
            onPayload(frame.subarray(at, at + length));
            at += length;
          }
        });
        call.on('end', () => {
          call.write(Buffer.from(String(count)));
          call.end();
        });
        call.on('error', (error: Error) => process.stderr.write(`bare stream error: ${error.message}\n`));
      },
      // Request/response baselines for the latency phase: a unary echo, and a bidi stream that
      // echoes each message (one message per write, answered in order).
      unary: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        callback(null, call.request);
      },
      echo: (call: ServerDuplexStream<Buffer, Buffer>) => {
        call.on('data', (message: Buffer) => call.write(message));
        call.on('end', () => call.end());
        call.on('error', (error: Error) => process.stderr.write(`bare echo error: ${error.message}\n`));
      },
    },
  );
  const creds = ServerCredentials.createSsl(
    Buffer.from(tls.caPem),
    [{ cert_chain: Buffer.from(tls.certificatePem), private_key: Buffer.from(tls.privateKeyPem) }],
    true,
  );
  const barePort = await new Promise<number>((resolve, reject) =>
    bare.bindAsync('127.0.0.1:0', creds, (error, port) => (error === null ? resolve(port) : reject(error))),
  );
  const bareWindow = bareFlowWindow();
  if (bareWindow !== undefined && !widenServerWindows(bare, bareWindow, logger('receiver-bare')))
    throw new Error('BENCH_BARE_FLOW_WINDOW: could not widen the bare server windows');
  process.stdout.write(
    `${JSON.stringify({ address, bare: `127.0.0.1:${String(barePort)}`, pid: process.pid })}\n`,
  );
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', () => {
    void transport
      .stop()
      .then(() => actors.shutdown())
      .then(() => {
        bare.forceShutdown();
        process.exit(0);
      });
  });
}

// ---------- sender (parent) ----------

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function queuedFor(transport: RemoteTransport, peerNodeId: string): number {
  return transport.peers().find((peer) => peer.peerNodeId === peerNodeId)?.queued ?? 0;
}

async function transportThroughput(transport: RemoteTransport, messages: number): Promise<number> {
  const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
  const base: Envelope = {
    target: 'bench/receiver',
    sender: 'bench/sender',
    type: 'bench.Tick',
    payload,
    correlationId: '',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    error: undefined,
  };
  const count = async (): Promise<number> => Number(await control(transport, 'count'));
  const before = await count();
  const started = process.hrtime.bigint();
  // A well-behaved producer, like the bare baseline that waits for 'drain': it sends only into free
  // queue space (`peers()` reports the depth) and sleeps while the queue is nearly full. Spinning on
  // overload errors instead (each a domain error with a stack trace) took ~1/6 of the sender's busy
  // CPU in a profile of the transport rounds, on a 2-core host shared with the receiver.
  const capacity = transport.options.queueCapacity;
  const chunk = Math.min(SEND_CHUNK, capacity);
  let sent = 0;
  while (sent < messages) {
    const room = capacity - queuedFor(transport, 'receiver');
    if (room < chunk) {
      await sleep(1);
      continue;
    }
    try {
      const end = Math.min(messages, sent + chunk);
      while (sent < end) {
        transport.send('receiver', base);
        sent += 1;
      }
    } catch (error) {
      if (!isNinjaError(error) || error.code !== 'RESOURCE_EXHAUSTED') throw error;
    }
    await tick();
  }
  while ((await count()) - before < messages) await new Promise((resolve) => setTimeout(resolve, 1));
  return messages / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function bareThroughput(address: string, tls: ClusterTls, messages: number): Promise<number> {
  const client = bareClient(address, tls);
  const call = client.makeBidiStreamRequest(BARE_PATH, raw, raw, new Metadata(), {});
  const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
  const done = new Promise<number>((resolve, reject) => {
    call.on('data', (data: Buffer) => resolve(Number(data.toString())));
    call.on('error', (error: ServiceError) => reject(error));
  });
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < messages; sent += BARE_PER_WRITE) {
    const frame = Buffer.allocUnsafe(BARE_PER_WRITE * (2 + PAYLOAD_BYTES));
    let at = 0;
    for (let i = 0; i < BARE_PER_WRITE; i += 1) {
      frame[at++] = 0x0a;
      frame[at++] = PAYLOAD_BYTES;
      payload.copy(frame, at);
      at += PAYLOAD_BYTES;
    }
    if (!call.write(frame)) await new Promise((resolve) => call.once('drain', resolve));
  }
  call.end();
  const counted = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.close();
  if (counted !== messages)
    throw new Error(`bare receiver counted ${String(counted)} of ${String(messages)}`);
  return messages / seconds;
}

/** Seconds of requests at the measured rate, discarded, so the request path runs optimized code when measured. */
const REQUEST_WARMUP_SECONDS = 1;
const REQUEST_RATE = 10_000;
/** Measured seconds of each latency phase. */
const REQUEST_SECONDS = Number(process.env.BENCH_REQUEST_SECONDS ?? 2);
/** Requests a phase's stamps are kept for (BENCH_REQUEST_STAMPS): the longest phase's. */
const STAMP_CAPACITY = REQUEST_RATE * Math.max(REQUEST_SECONDS, REQUEST_WARMUP_SECONDS);
/** The options of every request the sender makes: one object shape for the transport to see. */
const REQUEST_OPTIONS = { timeoutMs: 5000 };

/**
 * One of the bench's own requests to the receiver (its CPU time, messages counted, the latency
 * probe's start and stop), answered with a string. They travel as echo requests of the measured
 * shape (type, payload size, options), marked in the payload's first byte: the probe's start came
 * between the warm-up and the measured seconds, and as a request of its own type it took paths the
 * warmed-up code had never run (another string table entry, another options object), so V8
 * deoptimized `request`, the encoder and decoder and the receiver's `route` and compiled them again
 * inside the measured seconds (docs/remoting.md, "Session 9").
 */
async function control(transport: RemoteTransport, op: keyof typeof CONTROL): Promise<string> {
  return (await controlBytes(transport, op)).toString();
}

/** `control`'s answer as bytes (the receiver's request stamps are binary). */
async function controlBytes(transport: RemoteTransport, op: keyof typeof CONTROL): Promise<Buffer> {
  const payload = Buffer.alloc(PAYLOAD_BYTES, 3);
  payload[0] = CONTROL_MARK;
  payload[1] = CONTROL[op];
  const reply = await transport.request(
    'receiver',
    {
      target: 'bench/receiver',
      sender: 'bench/sender',
      type: ECHO_TYPE,
      payload,
      correlationId: '',
      traceId: '',
      deadlineUnixMs: 0n,
      kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
      error: undefined,
    },
    REQUEST_OPTIONS,
  );
  return Buffer.from(reply.payload);
}

interface Round {
  readonly rate: number;
  /** CPU time (user + system) per message, µs, of each process over the round. */
  readonly senderCpuUs: number;
  readonly receiverCpuUs: number;
}

async function receiverCpuMicros(transport: RemoteTransport): Promise<number> {
  return Number(await control(transport, 'cpu'));
}

/**
 * One throughput round with the CPU both processes spent on it: on a host shared with other work
 * the rate swings with scheduling, CPU per message much less.
 */
async function measuredRound(
  transport: RemoteTransport,
  messages: number,
  run: () => Promise<number>,
): Promise<Round> {
  const receiverBefore = await receiverCpuMicros(transport);
  const senderBefore = process.cpuUsage();
  const rate = await run();
  const sender = process.cpuUsage(senderBefore);
  const receiverAfter = await receiverCpuMicros(transport);
  return {
    rate,
    senderCpuUs: (sender.user + sender.system) / messages,
    receiverCpuUs: (receiverAfter - receiverBefore) / messages,
  };
}

/** [start, duration] in ms; the start as epoch time with sub-ms precision (timeOrigin + now). */
type Window = readonly [number, number];

/** A request slower than this is counted as slow, and what it overlapped is reported. */
const SLOW_MS = 2;

/**
 * How many slow requests overlapped a GC pause of the sender, one of the receiver (and not of the
 * sender), or neither: a tail set by collection, or by the processes waiting for the CPU. The two
 * processes' clocks are compared as epoch time, good to a fraction of a millisecond on one host.
 */
function describeSlow(
  slow: readonly Window[],
  sender: readonly Window[],
  receiver: readonly Window[],
): string {
  const overlaps = (w: Window, pauses: readonly Window[]): boolean =>
    pauses.some(([start, duration]) => start < w[0] + w[1] && w[0] < start + duration);
  let senderGc = 0;
  let receiverGc = 0;
  for (const w of slow) {
    if (overlaps(w, sender)) senderGc += 1;
    else if (overlaps(w, receiver)) receiverGc += 1;
  }
  return `slower than ${String(SLOW_MS)} ms: ${String(slow.length)} requests, of which ${String(senderGc)} overlapped a sender GC pause, ${String(receiverGc)} a receiver one, ${String(slow.length - senderGc - receiverGc)} neither`;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly rate: number;
  /** How late requests were issued against their even schedule (p99, ms): the issuing loop's own delay. */
  readonly issueLagP99: number;
  /** The requests slower than SLOW_MS: [issued, round trip]. */
  readonly slow: readonly Window[];
  /** Per request, in issue order: its issue (performance.now() ms) and its round trip (ms). */
  readonly starts: Float64Array;
  readonly roundTrips: Float64Array;
}

const NO_LATENCY: Latency = {
  p50: Number.NaN,
  p99: Number.NaN,
  rate: Number.NaN,
  issueLagP99: Number.NaN,
  slow: [],
  starts: new Float64Array(0),
  roundTrips: new Float64Array(0),
};

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN);
}

/**
 * Issues `issue()` at a steady `ratePerSec` for `seconds` and times each request from its issue to
 * the resolution of its promise, in this process. Request i is due at i / rate after the start; a
 * 1 ms timer issues every request that has come due since the last tick (≈ 10 at 10 k/s), so the
 * requests are spread over each second at 1 ms granularity. How late each was issued against its due
 * time is reported apart (`issueLagP99`): a request issued late was delayed by this process's loop,
 * before the transport saw it.
 *
 * Nothing is kept per request beyond its two numbers in preallocated arrays: an earlier version kept
 * every request's promise chain in an array until the end, ≈ 20,000 live promises and closures per
 * measured phase that every scavenge had to copy and then promote, which lengthened the very pauses
 * the phase measures.
 */
async function pacedLatency(
  ratePerSec: number,
  seconds: number,
  issue: (index: number) => Promise<unknown>,
): Promise<Latency> {
  const total = ratePerSec * seconds;
  const samples = new Float64Array(total);
  const lags = new Float64Array(total);
  const starts = new Float64Array(total);
  let answered = 0;
  let firstError: unknown;
  let allAnswered: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });
  const onError = (error: unknown): void => {
    firstError ??= error;
    answered += 1;
    if (answered === total) allAnswered();
  };
  const started = performance.now();
  const msPerRequest = 1000 / ratePerSec;
  let issued = 0;
  while (issued < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / msPerRequest) + 1);
    while (issued < due) {
      const index = issued;
      const t0 = performance.now();
      lags[index] = t0 - (started + index * msPerRequest);
      starts[index] = t0;
      issue(index).then(() => {
        samples[index] = performance.now() - t0;
        answered += 1;
        if (answered === total) allAnswered();
      }, onError);
      issued += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await finished;
  if (firstError !== undefined) {
    throw firstError instanceof Error
      ? firstError
      : new Error('a paced request failed', { cause: firstError });
  }
  const elapsed = (performance.now() - started) / 1000;
  const slow: Window[] = [];
  for (let i = 0; i < total; i += 1) {
    const roundTrip = samples[i] ?? 0;
    if (roundTrip > SLOW_MS) slow.push([performance.timeOrigin + (starts[i] ?? 0), roundTrip]);
  }
  const roundTrips = samples.slice();
  samples.sort();
  lags.sort();
  return {
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    rate: total / elapsed,
    issueLagP99: quantile(lags, 0.99),
    slow,
    starts,
    roundTrips,
  };
}

function transportEcho(
  transport: RemoteTransport,
  type: 'bench.Echo' | 'bench.ActorEcho',
): (index: number) => Promise<unknown> {
  const base: Envelope = {
    target: 'bench/receiver',
    sender: 'bench/sender',
    type,
    payload: Buffer.alloc(PAYLOAD_BYTES, 3),
    correlationId: '',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
    error: undefined,
  };
  if (!stampsEnabled()) return () => transport.request('receiver', base, REQUEST_OPTIONS);
  // Stamped: each request's payload carries its index. One envelope per index, made before the
  // phase (the transport's frame tap reads the envelopes it queued when their frame is written).
  const payloads = Buffer.alloc(STAMP_CAPACITY * PAYLOAD_BYTES, 3);
  const envelopes = Array.from({ length: STAMP_CAPACITY }, (_, index): Envelope => {
    const payload = payloads.subarray(index * PAYLOAD_BYTES, (index + 1) * PAYLOAD_BYTES);
    markPayload(payload, index);
    return { ...base, payload };
  });
  return (index) => {
    const envelope = envelopes[index];
    if (envelope === undefined) throw new RangeError(`request ${String(index)} has no stamped envelope`);
    return transport.request('receiver', envelope, REQUEST_OPTIONS);
  };
}

/**
 * The transport's requests of `type` at the measured rate after the warm-up; the event-loop delay,
 * GC pauses, CPU and batches of both processes are recorded over its measured seconds.
 */
async function measuredRequests(
  transport: RemoteTransport,
  registry: MetricsRegistry,
  type: 'bench.Echo' | 'bench.ActorEcho',
  stamps: StampRecorder | undefined,
  receiverPid: number,
): Promise<{ readonly latency: Latency; readonly loops: string }> {
  const issue = transportEcho(transport, type);
  await pacedLatency(REQUEST_RATE, REQUEST_WARMUP_SECONDS, issue);
  const probe = new LoopProbe(registry);
  await control(transport, 'loopStart');
  await probe.start();
  stamps?.reset();
  const latency = await pacedLatency(REQUEST_RATE, REQUEST_SECONDS, issue);
  const senderLoop = await probe.stop();
  const receiverReport = JSON.parse(await control(transport, 'loopStop')) as LoopReport;
  const requests = REQUEST_RATE * REQUEST_SECONDS;
  const gcWindows = [...senderLoop.gcWindows, ...receiverReport.gcWindows];
  const split =
    stamps === undefined
      ? ''
      : `\n    ${describeStamps(
          { starts: latency.starts, roundTrips: latency.roundTrips, total: requests },
          stamps,
          StampRecorder.deserialize(await controlBytes(transport, 'stamps'), stamps.capacity),
          SLOW_MS,
          gcWindows,
          { phase: type, senderPid: process.pid, receiverPid },
        )}`;
  return {
    latency,
    loops: `sender ${describeLoop(senderLoop, requests)}; receiver ${describeLoop(receiverReport, requests)}; ${describeSlow(latency.slow, senderLoop.gcWindows, receiverReport.gcWindows)}; ${describeBursts(latency.slow.map(([start]) => start))}${split}`,
  };
}

/** A bare grpc-js client of the receiver, with the credentials a node dials with (cluster/tls/dial.ts). */
function bareClient(address: string, tls: ClusterTls): Client {
  const dial = dialCredentials(address, tls);
  const window = bareFlowWindow();
  return new Client(address, dial.credentials, {
    ...dial.options,
    ...(window === undefined ? {} : { 'grpc-node.flow_control_window': window }),
  });
}

/** A bare grpc-js unary echo of the same payload: what one request costs without the transport. */
function bareUnaryEcho(client: Client): () => Promise<unknown> {
  const payload = Buffer.alloc(PAYLOAD_BYTES, 3);
  return () =>
    new Promise<Buffer>((resolve, reject) => {
      client.makeUnaryRequest(BARE_UNARY_PATH, raw, raw, payload, (error, reply) => {
        if (error !== null) reject(error);
        else if (reply === undefined) reject(new Error('bare unary: no reply'));
        else resolve(reply);
      });
    });
}

/**
 * A bare grpc-js bidi stream echoing each payload (one per write, answered in order): the
 * transport's request path minus envelopes, correlation, batching and deadlines.
 */
function bareStreamEcho(client: Client): { issue: () => Promise<unknown>; close: () => void } {
  const call = client.makeBidiStreamRequest(BARE_ECHO_PATH, raw, raw, new Metadata(), {});
  const payload = Buffer.alloc(PAYLOAD_BYTES, 3);
  const waiting: ((reply: Buffer) => void)[] = [];
  let head = 0;
  call.on('data', (reply: Buffer) => {
    const resolve = waiting[head];
    waiting[head] = () => undefined;
    head += 1;
    resolve?.(reply);
  });
  call.on('error', (error: ServiceError) => {
    if (error.code !== status.CANCELLED) process.stderr.write(`bare echo stream error: ${error.message}\n`);
  });
  return {
    issue: () =>
      new Promise<Buffer>((resolve) => {
        waiting.push(resolve);
        call.write(payload);
      }),
    close: () => call.end(),
  };
}

function describeRounds(rounds: readonly Round[]): string {
  return rounds
    .map(
      (r) =>
        `${Math.round(r.rate).toLocaleString('en-US')} [CPU/msg µs: sender ${r.senderCpuUs.toFixed(2)}, receiver ${r.receiverCpuUs.toFixed(2)}]`,
    )
    .join(', ');
}

/** The receiver's first line: its cluster and bare addresses and its process id. */
interface ReceiverReady {
  readonly address: string;
  readonly bare: string;
  readonly pid: number;
}

export async function runRemoteMessagingBench(
  options: { readonly messages?: number } = {},
): Promise<RemoteMessagingResult> {
  const messages = options.messages ?? 1_000_000;
  const certDir = await mkdtemp(join(tmpdir(), 'gekko-bench-remote-'));
  const tls = await loadOrCreateClusterTls(certDir, 'sender');
  await loadOrCreateClusterTls(certDir, 'receiver');
  const runner = fileURLToPath(new URL('../cli/bin/run-ts.js', import.meta.url));
  // BENCH_RECEIVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=prof`, passes node flags to the receiver only.
  const receiverNodeArgs = (process.env.BENCH_RECEIVER_NODE_ARGS ?? '')
    .split(' ')
    .filter((a) => a.length > 0);
  const child = spawn(
    process.execPath,
    [...nodeFlags(), ...receiverNodeArgs, runner, fileURLToPath(import.meta.url), '--receiver', certDir],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const registry = new MetricsRegistry();
  const stamps = stampsEnabled() ? new StampRecorder(STAMP_CAPACITY) : undefined;
  const transport = new RemoteTransport({
    logger: logger('sender'),
    metrics: registry,
    maxBatchEnvelopes: Number(process.env.BENCH_MAX_BATCH ?? 256),
    flushScheduling: flushScheduling(),
    busyPoll: busyPoll(),
    ...flowWindow(),
    ...(stamps === undefined ? {} : { frameTap: stamps }),
  });
  try {
    const ready = await new Promise<ReceiverReady>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`receiver exited early (${String(code)})`)));
      // The first JSON line: node flags such as --trace-gc may print to stdout before it.
      const lines = createInterface({ input: child.stdout });
      const onLine = (line: string): void => {
        if (!line.startsWith('{')) return;
        lines.off('line', onLine);
        resolve(JSON.parse(line) as ReceiverReady);
      };
      lines.on('line', onLine);
    });
    await transport.start({
      listen: '127.0.0.1:0',
      tls,
      nodeId: 'sender',
      clusterName: 'bench',
      deliver: () => undefined,
    });
    await transport.connect('receiver', ready.address);

    // BENCH_REMOTE_PHASES (comma-separated: transport, bare, requests, actor-requests, baselines;
    // default all) runs only some phases, e.g. to profile one of them; a skipped phase reads as NaN
    // and fails its check. `requests` is the transport's request round trip answered in `deliver`,
    // `actor-requests` the same answered by an actor (as a node answers), `baselines` the bare
    // grpc-js echoes at the same rate.
    const phases = new Set(
      (process.env.BENCH_REMOTE_PHASES ?? 'transport,bare,requests,actor-requests,baselines').split(','),
    );
    if (phases.has('transport')) await transportThroughput(transport, 100_000);
    if (phases.has('bare')) await bareThroughput(ready.bare, tls, 100_000);
    const transportRounds: Round[] = [];
    const bareRounds: Round[] = [];
    for (let round = 0; round < 2; round += 1) {
      if (phases.has('transport'))
        transportRounds.push(
          await measuredRound(transport, messages, () => transportThroughput(transport, messages)),
        );
      if (phases.has('bare'))
        bareRounds.push(
          await measuredRound(transport, messages, () => bareThroughput(ready.bare, tls, messages)),
        );
    }
    const best = (rounds: readonly Round[]): number =>
      rounds.length === 0 ? Number.NaN : Math.max(...rounds.map((r) => r.rate));
    const transportMsgPerSec = best(transportRounds);
    const bareMsgPerSec = best(bareRounds);
    let latency = NO_LATENCY;
    let unary = NO_LATENCY;
    let streamEcho = NO_LATENCY;
    let loops = '';
    let actorLatency = NO_LATENCY;
    let actorLoops = '';
    if (phases.has('requests')) {
      ({ latency, loops } = await measuredRequests(transport, registry, 'bench.Echo', stamps, ready.pid));
    }
    if (phases.has('actor-requests')) {
      ({ latency: actorLatency, loops: actorLoops } = await measuredRequests(
        transport,
        registry,
        'bench.ActorEcho',
        stamps,
        ready.pid,
      ));
    }
    if (phases.has('baselines')) {
      // The same payloads as bare grpc-js unary calls and as messages echoed on a bare bidi
      // stream, each at the same rate after the same warm-up.
      const client = bareClient(ready.bare, tls);
      const unaryEcho = bareUnaryEcho(client);
      await pacedLatency(REQUEST_RATE, REQUEST_WARMUP_SECONDS, unaryEcho);
      unary = await pacedLatency(REQUEST_RATE, REQUEST_SECONDS, unaryEcho);
      const echo = bareStreamEcho(client);
      await pacedLatency(REQUEST_RATE, REQUEST_WARMUP_SECONDS, echo.issue);
      streamEcho = await pacedLatency(REQUEST_RATE, REQUEST_SECONDS, echo.issue);
      echo.close();
      client.close();
    }
    const ratio = transportMsgPerSec / bareMsgPerSec;
    const checks = [
      {
        name: 'transport one-way msg/s',
        value: transportMsgPerSec,
        target: '>= 500,000',
        pass: transportMsgPerSec >= 500_000,
      },
      { name: 'transport / bare batched stream', value: ratio, target: '>= 0.60', pass: ratio >= 0.6 },
      { name: 'request p99 at 10k req/s (ms)', value: latency.p99, target: '<= 2.0', pass: latency.p99 <= 2 },
    ];
    const out = (line: string): boolean => process.stdout.write(`${line}\n`);
    out(
      `remote messaging, 2 processes, loopback, mTLS, ${String(PAYLOAD_BYTES)}-byte payloads, ${String(messages)} messages per round (best of 2); node flags of both processes: ${nodeFlags().join(' ') || '(none: V8 defaults)'}; flush: ${flushScheduling()}; busy poll: sender ${describeBusyPoll(busyPoll())}, receiver ${describeBusyPoll(busyPoll(true))}; HTTP/2 windows of the transport ${String(transport.options.flowControlWindowBytes)} bytes (the bare streams: ${bareFlowWindow() === undefined ? 'grpc-js defaults, 65535' : String(bareFlowWindow())}); helper threads' nice: ${String(helperThreadsNice())} (BENCH_NICE_HELPERS; 0: unchanged)`,
    );
    out(
      `  cluster transport:              ${Math.round(transportMsgPerSec).toLocaleString('en-US')} msg/s  (rounds: ${describeRounds(transportRounds)})`,
    );
    out(
      `  bare grpc-js bidi, 100/write:   ${Math.round(bareMsgPerSec).toLocaleString('en-US')} msg/s  (rounds: ${describeRounds(bareRounds)})`,
    );
    const describeLatency = (l: Latency): string =>
      `at ${Math.round(l.rate).toLocaleString('en-US')} req/s: p50 ${l.p50.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms (issued late by p99 ${l.issueLagP99.toFixed(3)} ms)`;
    out(`  request round trip ${describeLatency(latency)}`);
    out(`    (${loops})`);
    out(`  request round trip, answered by an actor ${describeLatency(actorLatency)}`);
    out(`    (${actorLoops})`);
    out(`  bare grpc-js unary echo        ${describeLatency(unary)}`);
    out(`  bare grpc-js bidi echo         ${describeLatency(streamEcho)}`);
    for (const check of checks) {
      out(
        `  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.value < 10 ? check.value.toFixed(3) : Math.round(check.value).toLocaleString('en-US')} (target ${check.target})`,
      );
    }
    return {
      transportMsgPerSec,
      bareMsgPerSec,
      ratio,
      requestP50Ms: latency.p50,
      requestP99Ms: latency.p99,
      requestsPerSec: latency.rate,
      pass: checks.every((c) => c.pass),
    };
  } finally {
    await transport.stop();
    child.stdin.end();
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(undefined);
      }, 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    await rm(certDir, { recursive: true, force: true });
  }
}

/**
 * The node flags both processes run with: those of a deployed node (`npm start`, and the
 * NODE_OPTIONS a service node is told to set: an 8 MB young generation), unless BENCH_NODE_FLAGS
 * names others (an empty value: V8's defaults), e.g. to compare young-generation sizes.
 */
function nodeFlags(): string[] {
  const flags = process.env.BENCH_NODE_FLAGS ?? DEPLOYED_NODE_FLAGS.join(' ');
  return flags.split(' ').filter((flag) => flag.length > 0);
}

/** As `npm start` runs a node (nodes/node-flags.ts). */
const DEPLOYED_NODE_FLAGS = RECOMMENDED_NODE_FLAGS;

const receiverIndex = process.argv.indexOf('--receiver');
if (receiverIndex !== -1) {
  await runReceiver(process.argv[receiverIndex + 1] ?? '');
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.env.BENCH_REMOTE_SENDER === '1') {
    const result = await runRemoteMessagingBench();
    if (!result.pass) process.exitCode = 1;
  } else {
    // The sender runs in a child too, so that it gets the node flags (a heap's young generation is
    // sized when the process starts); this process only waits for it.
    const runner = fileURLToPath(new URL('../cli/bin/run-ts.js', import.meta.url));
    const sender = spawn(
      process.execPath,
      [...nodeFlags(), ...process.execArgv, runner, process.argv[1], ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, BENCH_REMOTE_SENDER: '1' } },
    );
    const code = await new Promise<number>((resolve) => {
      sender.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
    });
    process.exitCode = code;
  }
}
