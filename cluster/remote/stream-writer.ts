import type { Envelope } from '../../proto/index.ts';
import { envelopeElementSize, writeEnvelopeElement } from './envelope-codec.ts';
import { encodeBatchFrameFromRange } from './frame-codec.ts';

/** Where batches go: a grpc-js duplex stream (client or server side). */
export interface FrameSink {
  write(frame: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** When a partly filled batch is written: at the end of the current macrotask or microtask. */
export const FlushScheduling = { IMMEDIATE: 'immediate', MICROTASK: 'microtask' } as const;
export type FlushScheduling = (typeof FlushScheduling)[keyof typeof FlushScheduling];

export interface StreamWriterOptions {
  readonly capacity: number;
  readonly maxBatchEnvelopes: number;
  readonly maxBatchBytes: number;
  readonly flushScheduling: FlushScheduling;
  /** Called once per written batch with its envelope count. */
  readonly onBatch: (envelopes: number) => void;
}

/** Initial size of the writer's encoding storage; it grows while the queue is deep. */
const INITIAL_STORAGE_BYTES = 64 * 1024;
/** Storage above this size is released when the queue empties (it regrows on the next burst). */
const RETAINED_STORAGE_BYTES = 1024 * 1024;

/**
 * The writer: a bounded queue drained into batch frames. A batch is written as soon as it is full
 * (count or bytes), otherwise at the end of the current tick, so envelopes sent together share one
 * stream write. When the stream's buffer is full (`write` returns false) it waits for 'drain';
 * meanwhile envelopes accumulate in the queue up to its capacity, and then `offer` refuses.
 *
 * Each envelope is encoded once, when offered, straight into one contiguous writer-owned buffer
 * (a byte FIFO that is reused, compacted and grown as needed): the queued elements of a batch are a
 * single run of it, copied into the frame with one copy. The queue itself keeps only the envelope
 * (to hand back if undeliverable) and its element size, in preallocated ring arrays, so queueing
 * allocates nothing per envelope. Encoding at offer time keeps the bytes sent independent of later
 * changes by the caller to the envelope or its payload.
 */
export class StreamWriter {
  readonly capacity: number;
  private sink: FrameSink | undefined;
  private scheduled = false;
  private waitingDrain = false;
  /** Queued envelopes (ring), with their encoded element sizes in `sizes`. */
  private readonly envelopes: (Envelope | undefined)[];
  private readonly sizes: Uint32Array;
  private head = 0;
  private count = 0;
  /** The encoded elements of the queued envelopes, oldest first, are `storage[readAt, writeAt)`. */
  private storage: Buffer = Buffer.allocUnsafe(INITIAL_STORAGE_BYTES);
  private readAt = 0;
  private writeAt = 0;
  private readonly runFlush = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly options: StreamWriterOptions) {
    const capacity = options.capacity;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer; got ${String(capacity)}`);
    this.capacity = capacity;
    this.envelopes = new Array<Envelope | undefined>(capacity).fill(undefined);
    this.sizes = new Uint32Array(capacity);
  }

  get attached(): boolean {
    return this.sink !== undefined;
  }

  /** Envelopes queued. */
  get length(): number {
    return this.count;
  }

  /** Encoded bytes queued. */
  get bytes(): number {
    return this.writeAt - this.readAt;
  }

  /** True when nothing is queued and no write is waiting for 'drain'. */
  get idle(): boolean {
    return this.count === 0 && !this.waitingDrain;
  }

  /**
   * Encodes and queues an envelope whose body size `body` came from `measureEnvelope`; false (and
   * nothing queued) when the queue is full (the caller reports overload).
   */
  offer(envelope: Envelope, body: number): boolean {
    if (this.count === this.capacity) return false;
    const size = envelopeElementSize(body);
    if (this.writeAt + size > this.storage.length) this.makeRoom(size);
    this.writeAt = writeEnvelopeElement(this.storage, this.writeAt, envelope, body);
    let slot = this.head + this.count;
    if (slot >= this.capacity) slot -= this.capacity;
    this.envelopes[slot] = envelope;
    this.sizes[slot] = size;
    this.count += 1;
    if (this.sink === undefined || this.waitingDrain) return true;
    if (this.count >= this.options.maxBatchEnvelopes || this.bytes >= this.options.maxBatchBytes) {
      this.flush();
    } else {
      this.schedule();
    }
    return true;
  }

  /** Starts writing to `sink` (a new stream); anything already queued goes out first. */
  attach(sink: FrameSink): void {
    this.sink = sink;
    this.waitingDrain = false;
    if (this.count > 0) this.schedule();
  }

  /** Stops writing; returns the envelopes still queued (never written), oldest first. */
  detach(): Envelope[] {
    this.sink = undefined;
    this.waitingDrain = false;
    const leftovers: Envelope[] = [];
    while (this.count > 0) {
      const envelope = this.envelopes[this.head];
      this.envelopes[this.head] = undefined;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.count -= 1;
      if (envelope !== undefined) leftovers.push(envelope);
    }
    this.emptied();
    return leftovers;
  }

  /** Writes queued envelopes now, batch by batch, until the queue is empty or the stream pushes back. */
  flush(): void {
    const sink = this.sink;
    const maxEnvelopes = this.options.maxBatchEnvelopes;
    const maxBytes = this.options.maxBatchBytes;
    while (sink !== undefined && !this.waitingDrain && this.count > 0) {
      let slot = this.head;
      let taken = 0;
      let bytes = 0;
      while (taken < this.count && taken < maxEnvelopes) {
        const size = this.sizes[slot] ?? 0;
        if (taken > 0 && bytes + size > maxBytes) break;
        this.envelopes[slot] = undefined;
        bytes += size;
        taken += 1;
        slot = slot + 1 === this.capacity ? 0 : slot + 1;
      }
      this.head = slot;
      this.count -= taken;
      const start = this.readAt;
      this.readAt += bytes;
      const frame = encodeBatchFrameFromRange(this.storage, start, this.readAt);
      if (this.count === 0) this.emptied();
      this.options.onBatch(taken);
      if (!sink.write(frame)) {
        this.waitingDrain = true;
        sink.once('drain', () => {
          if (this.sink !== sink) return;
          this.waitingDrain = false;
          this.flush();
        });
      }
    }
  }

  /** Room for `size` more bytes at `writeAt`: compacts the storage, or replaces it with a larger one. */
  private makeRoom(size: number): void {
    const live = this.writeAt - this.readAt;
    let target = this.storage;
    if (live + size > this.storage.length / 2) {
      let length = this.storage.length * 2;
      while (length < 2 * (live + size)) length *= 2;
      target = Buffer.allocUnsafe(length);
    }
    this.storage.copy(target, 0, this.readAt, this.writeAt);
    this.storage = target;
    this.readAt = 0;
    this.writeAt = live;
  }

  /** The queue is empty: reuse the storage from its start, releasing it if a burst grew it large. */
  private emptied(): void {
    this.readAt = 0;
    this.writeAt = 0;
    this.head = 0;
    if (this.storage.length > RETAINED_STORAGE_BYTES)
      this.storage = Buffer.allocUnsafe(INITIAL_STORAGE_BYTES);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.options.flushScheduling === FlushScheduling.MICROTASK) queueMicrotask(this.runFlush);
    else setImmediate(this.runFlush);
  }
}
