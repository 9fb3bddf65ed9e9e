/**
 * Per-request time stamps of the remote-messaging bench's request phases (BENCH_REQUEST_STAMPS=1):
 * where each round trip's time went, between the two processes.
 *
 * Each request carries its index in its payload (byte 0 STAMP_MARK, bytes 1-4 the index); the
 * receiver echoes the payload, so both processes can tell which request an envelope is. Both run
 * the transport with a `FrameTap` (cluster/remote/frame-tap.ts) that stamps, per request:
 * the sender handing the frame carrying it to grpc-js and grpc-js reporting it written, the
 * receiver reading it, handing the answer's frame to grpc-js and grpc-js reporting it written,
 * and the sender reading the answer. With the issue time and the resolution of the promise (the
 * bench's own) that is eight stamps, seven consecutive segments whose sum is the round trip.
 *
 * Times are CLOCK_MONOTONIC in ms (`process.hrtime` is CLOCK_MONOTONIC, shared by all processes
 * of the host): `performance.now()` plus a per-process offset measured once, so that a stamp
 * allocates nothing. Stamps go into preallocated Float64Arrays indexed by request.
 * BENCH_REQUEST_STAMPS_OUT=<file> also writes every request's eight stamps (JSON, one file per
 * phase: <file>.<request type>.json, with both
 * processes' ids and GC windows), e.g. to lay them beside `perf sched` records taken with
 * `-k CLOCK_MONOTONIC`.
 */
import { writeFileSync } from 'node:fs';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import type { FrameTap } from '../../cluster/remote/index.ts';

/** First payload byte of a stamped request (neither the bench's control mark nor the echo fill). */
export const STAMP_MARK = 0xd5;

export function stampsEnabled(): boolean {
  return process.env.BENCH_REQUEST_STAMPS === '1';
}

/**
 * `performance.now()` + this = CLOCK_MONOTONIC ms. performance.now() is uv_hrtime (monotonic) less
 * the process's time origin, so the offset is a constant; the pair read closest together wins.
 */
export function monotonicOffsetMs(): number {
  let best = Number.POSITIVE_INFINITY;
  let offset = Number.NaN;
  for (let i = 0; i < 50; i += 1) {
    const before = performance.now();
    const mono = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = mono - (before + after) / 2;
    }
  }
  return offset;
}

/** The request index a payload carries, or -1. */
function indexOf(payload: Uint8Array): number {
  if (payload.length < 5 || payload[0] !== STAMP_MARK) return -1;
  return (
    (payload[1] ?? 0) +
    (payload[2] ?? 0) * 0x100 +
    (payload[3] ?? 0) * 0x10000 +
    (payload[4] ?? 0) * 0x1000000
  );
}

/** Writes `index` into a stamped payload (the transport copies the payload when it is sent). */
export function markPayload(payload: Buffer, index: number): void {
  payload[0] = STAMP_MARK;
  payload.writeUInt32LE(index, 1);
}

/** The stamps one process takes, by where the envelope is. */
const Stamp = {
  /** Sender: the request's frame handed to grpc-js; grpc-js took it (retry layer, before the socket write). */
  requestHanded: 0,
  requestWritten: 1,
  /** Receiver: the request's frame read. */
  requestRead: 2,
  /** Receiver: the answer's frame handed to grpc-js; written to the socket. */
  answerHanded: 3,
  answerWritten: 4,
  /** Sender: the answer's frame read. */
  answerRead: 5,
} as const;
const STAMPS = 6;

/** The FrameTap of one process: stamps every stamped request's frames, in preallocated arrays. */
export class StampRecorder implements FrameTap {
  /** STAMPS arrays of `capacity` stamps, back to back. */
  readonly stamps: Float64Array;
  private readonly offset = monotonicOffsetMs();

  constructor(readonly capacity: number) {
    this.stamps = new Float64Array(capacity * STAMPS).fill(Number.NaN);
  }

  /** Monotonic ms now. */
  now(): number {
    return performance.now() + this.offset;
  }

  toMonotonic(performanceNowMs: number): number {
    return performanceNowMs + this.offset;
  }

  reset(): void {
    this.stamps.fill(Number.NaN);
  }

  frameOut(envelopes: readonly Envelope[]): () => void {
    this.stampAll(envelopes, Stamp.requestHanded, Stamp.answerHanded);
    return () => this.stampAll(envelopes, Stamp.requestWritten, Stamp.answerWritten);
  }

  frameIn(envelopes: readonly Envelope[]): void {
    this.stampAll(envelopes, Stamp.requestRead, Stamp.answerRead);
  }

  private stampAll(envelopes: readonly Envelope[], request: number, answer: number): void {
    const t = this.now();
    for (const envelope of envelopes) {
      const index = indexOf(envelope.payload);
      if (index < 0 || index >= this.capacity) continue;
      const kind = envelope.kind;
      if (kind === EnvelopeKind.ENVELOPE_KIND_REQUEST) this.stamps[request * this.capacity + index] = t;
      else if (kind === EnvelopeKind.ENVELOPE_KIND_RESPONSE) this.stamps[answer * this.capacity + index] = t;
    }
  }

  /** The stamps as bytes (a control answer's payload), after a leading 0 (not a stamp mark). */
  serialize(): Buffer {
    const out = Buffer.alloc(1 + this.stamps.byteLength);
    Buffer.from(this.stamps.buffer, this.stamps.byteOffset, this.stamps.byteLength).copy(out, 1);
    return out;
  }

  static deserialize(bytes: Uint8Array, capacity: number): Float64Array {
    if (bytes.length !== 1 + capacity * STAMPS * 8)
      throw new Error(
        `receiver stamps: ${String(bytes.length)} bytes, expected ${String(1 + capacity * STAMPS * 8)}`,
      );
    const copy = new Uint8Array(capacity * STAMPS * 8);
    copy.set(bytes.subarray(1));
    return new Float64Array(copy.buffer);
  }
}

/**
 * The seven consecutive segments of a round trip, by the stamps that bound them. The write
 * callbacks of the two sides mean different things: the accepting side's (grpc-js server) comes
 * once Node's HTTP/2 session has written the frame to the socket; the dialer's (grpc-js client)
 * comes from grpc-js's retry layer as soon as it has taken (copied) the frame, before the
 * socket write (a `perf` record with syscall tracepoints shows it 0.02-0.2 ms before the write).
 * So the sender's socket write is inside the third segment.
 */
const SEGMENTS = [
  'issue → sender hands frame to grpc-js',
  'sender hand → grpc-js took it',
  'grpc-js took it → receiver reads',
  'receiver reads → hands answer frame',
  'receiver hand → socket write done',
  'receiver write done → sender reads',
  'sender reads → promise resolved',
] as const;

export interface StampedPhase {
  /** Per request: issue time and round trip, performance.now() ms of the sender. */
  readonly starts: Float64Array;
  readonly roundTrips: Float64Array;
  readonly total: number;
}

/** [start, duration] ms as epoch time, as the bench's GC windows. */
type Window = readonly [number, number];

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? Number.NaN;
}

/**
 * The split of the requests slower than `slowMs` that overlap no GC pause of either process,
 * beside the split of all requests: per segment p50 / p90 / max, and how many slow requests had
 * their largest segment there. Also the slow requests' bursts (issued within 1.5 ms of the last).
 */
export function describeStamps(
  phase: StampedPhase,
  sender: StampRecorder,
  receiverStamps: Float64Array,
  slowMs: number,
  gcWindows: readonly Window[],
  /** The phase (its request type, which names the file written) and both processes' ids. */
  processes: { readonly phase: string; readonly senderPid: number; readonly receiverPid: number },
): string {
  const capacity = sender.capacity;
  const at = (array: Float64Array, stamp: number, i: number): number =>
    array[stamp * capacity + i] ?? Number.NaN;
  const epochOfMonotonic = performance.timeOrigin - sender.toMonotonic(0);
  const stampsOf = (i: number): number[] => {
    const issued = sender.toMonotonic(phase.starts[i] ?? Number.NaN);
    return [
      issued,
      at(sender.stamps, Stamp.requestHanded, i),
      at(sender.stamps, Stamp.requestWritten, i),
      at(receiverStamps, Stamp.requestRead, i),
      at(receiverStamps, Stamp.answerHanded, i),
      at(receiverStamps, Stamp.answerWritten, i),
      at(sender.stamps, Stamp.answerRead, i),
      issued + (phase.roundTrips[i] ?? Number.NaN),
    ];
  };
  const all: number[][] = SEGMENTS.map(() => []);
  const slow: number[][] = SEGMENTS.map(() => []);
  const dominant = SEGMENTS.map(() => 0);
  let incomplete = 0;
  let slowCount = 0;
  let slowGc = 0;
  const slowIssues: number[] = [];
  for (let i = 0; i < phase.total; i += 1) {
    const s = stampsOf(i);
    if (s.some((v) => !Number.isFinite(v))) {
      incomplete += 1;
      continue;
    }
    const roundTrip = phase.roundTrips[i] ?? 0;
    const isSlow = roundTrip > slowMs;
    const start = (s[0] ?? 0) + epochOfMonotonic;
    const overlapsGc =
      isSlow && gcWindows.some(([gcStart, d]) => gcStart < start + roundTrip && start < gcStart + d);
    if (isSlow) {
      slowCount += 1;
      slowIssues.push(s[0] ?? 0);
      if (overlapsGc) slowGc += 1;
    }
    let largest = 0;
    for (let k = 0; k < SEGMENTS.length; k += 1) {
      const d = (s[k + 1] ?? 0) - (s[k] ?? 0);
      all[k]?.push(d);
      if (isSlow && !overlapsGc) {
        slow[k]?.push(d);
        if (d > (s[largest + 1] ?? 0) - (s[largest] ?? 0)) largest = k;
      }
    }
    if (isSlow && !overlapsGc) dominant[largest] = (dominant[largest] ?? 0) + 1;
  }
  const out = process.env.BENCH_REQUEST_STAMPS_OUT;
  if (out !== undefined && out !== '') {
    const rows = Array.from({ length: phase.total }, (_, i) => stampsOf(i));
    const file = `${out.replace(/\.json$/, '')}.${processes.phase}.json`;
    writeFileSync(file, JSON.stringify({ slowMs, gcWindows, epochOfMonotonic, ...processes, stamps: rows }));
  }
  const ms = (v: number): string => v.toFixed(3);
  const lines = [
    `request stamps (BENCH_REQUEST_STAMPS): ${String(phase.total)} requests, ${String(incomplete)} without all stamps; ${String(slowCount)} slower than ${String(slowMs)} ms, ${String(slowGc)} of them overlapping a GC pause; segments in ms, all requests p50 / p99, slow requests without GC p50 / p90 / max, and in how many of those the segment was the largest:`,
  ];
  SEGMENTS.forEach((name, k) => {
    const a = all[k] ?? [];
    const s = slow[k] ?? [];
    lines.push(
      `      ${name.padEnd(40)} all ${ms(quantile(a, 0.5))} / ${ms(quantile(a, 0.99))}   slow ${ms(quantile(s, 0.5))} / ${ms(quantile(s, 0.9))} / ${ms(s.length === 0 ? Number.NaN : Math.max(...s))}   largest in ${String(dominant[k] ?? 0)}`,
    );
  });
  lines.push(`      ${describeBursts(slowIssues)}`);
  return lines.join('\n');
}

/**
 * Whether slow requests come together (one stall delaying all requests in flight) or spread: slow
 * requests issued within 1.5 ms of the previous slow one form a burst.
 */
export function describeBursts(issuedMs: readonly number[]): string {
  if (issuedMs.length === 0) return 'slow requests: none';
  const sorted = [...issuedMs].sort((a, b) => a - b);
  const sizes: number[] = [];
  let size = 1;
  for (let i = 1; i < sorted.length; i += 1) {
    if ((sorted[i] ?? 0) - (sorted[i - 1] ?? 0) <= 1.5) size += 1;
    else {
      sizes.push(size);
      size = 1;
    }
  }
  sizes.push(size);
  sizes.sort((a, b) => b - a);
  const inLarge = sizes.filter((s) => s >= 5).reduce((a, b) => a + b, 0);
  return `slow requests in ${String(sizes.length)} bursts (issued within 1.5 ms of the previous slow one): largest ${sizes.slice(0, 8).join(', ')}; ${String(inLarge)} of ${String(sorted.length)} in bursts of 5 or more`;
}
