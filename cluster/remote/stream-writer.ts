import type { Envelope } from '../../proto/index.ts';
import {
  NO_REFS,
  envelopeElementSize,
  envelopeRefs,
  measureWithTable,
  writeMeasuredElement,
} from './envelope-codec.ts';
import { BATCH_HEADER_ROOM, encodeFeaturesFrame, sealBatchFrame } from './frame-codec.ts';
import type { FrameTap } from './frame-tap.ts';
import { StringTableEncoder } from './string-table.ts';

/** Where batches go: a grpc-js duplex stream (client or server side). */
export interface FrameSink {
  /** `written` is called once the sink no longer needs `frame` (grpc-js: its copy is made and sent). */
  write(frame: Buffer, written: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** Cancels the stream (grpc-js client calls have it); see `StreamWriter.cancelStream`. */
  cancel?(): void;
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
  /** How long a due batch may be held by `holdWhile`'s predicate, µs (default MAX_HELD_MICROS). */
  readonly maxHoldMicros?: number;
  /** Diagnostic hooks told of each batch frame written (frame-tap.ts); absent: none. */
  readonly tap?: FrameTap;
}

/**
 * Size of the slabs batches are encoded into. A batch that would not fit in the rest of a slab is
 * written as it is (a smaller batch) and the next one starts in a new slab, so a slab holds several
 * full batches and nothing is ever moved; an element larger than a slab gets a slab of its own.
 */
const SLAB_BYTES = 256 * 1024;
/**
 * Written-out slabs kept for reuse per writer while envelopes are queued, and once the queue is
 * empty. Under a sustained stream the bench keeps ~7 MB encoded in the queue and grpc-js releases
 * frames in bursts: with 2 spares about half of the slabs were new allocations (486 of 898 in one
 * transport phase), with 8 about one in twelve (72), and the sender's CPU per message fell by
 * ~20 % (fresh 256 KiB buffers cost page faults and external-memory GCs). An idle writer keeps one.
 */
const SPARE_SLABS = 8;
const IDLE_SPARE_SLABS = 1;

/**
 * Bounds on holding a partly filled batch while its reader's requests are still being answered
 * (`holdWhile`): loop turns, and microseconds since the batch was first due. An actor answers one
 * request per turn (nact runs each message in its own `setImmediate`), so the answers to a frame
 * of N requests are ready over N turns; the bounds keep a long run of them from delaying the first.
 */
const MAX_HELD_TURNS = 32;
const MAX_HELD_MICROS = 500;

/** A slab and the frames cut from it that the stream may still read. */
interface Slab {
  readonly buffer: Buffer;
  /** Frames sealed from this slab and not yet released by the stream (or dropped). */
  frames: number;
  /** The writer has moved on to another slab; once `frames` is 0 the slab can be reused. */
  retired: boolean;
}

/** A batch frame ready to be written, and how many queued envelopes (and element bytes) it carries. */
interface SealedFrame {
  readonly frame: Buffer;
  readonly slab: Slab;
  readonly envelopes: number;
  readonly bytes: number;
}

/**
 * The writer: a bounded queue drained into batch frames. A batch is written as soon as it is full
 * (count or bytes), otherwise at the end of the current tick, so envelopes sent together share one
 * stream write. When the stream's buffer is full (`write` returns false) it waits for 'drain';
 * meanwhile envelopes accumulate in the queue up to its capacity, and then `offer` refuses.
 *
 * Each envelope is encoded once, when offered, straight into the batch frame it will travel in: a
 * frame is a run of a writer-owned slab with room left before it for the frame header, written
 * when the batch is sealed, and is handed to the stream as a view of the slab. No byte is copied
 * between encoding and the stream (an earlier writer kept one byte FIFO, copied each batch out of
 * it and compacted it while the queue was deep: ~0.2 µs of copying per message in a profile of the
 * bench). A slab region handed to the stream is never written again; a full slab is left to the
 * collector, or reused when the stream has released every frame cut from it
 * (grpc-js copies a frame into its own message buffer before calling back), which spares most of the
 * large allocations that made the collector run mark-compacts for external memory. The queue also keeps the envelopes (to hand
 * back if undeliverable) in a preallocated ring, so queueing allocates nothing per envelope.
 * Encoding at offer time keeps the bytes sent independent of later changes by the caller to the
 * envelope or its payload.
 *
 * Once the peer has announced that it keeps a string table for the stream (`useStringTable`),
 * target, sender and type are sent by reference (see string-table.ts). The table belongs to the
 * stream the writer is attached to: it is made after `attach` and dropped by `detach`, together
 * with every frame not yet written, so nothing encoded against it can reach another stream.
 */
export class StreamWriter {
  readonly capacity: number;
  private readonly maxHoldMicros: number;
  private sink: FrameSink | undefined;
  private scheduled = false;
  private waitingDrain = false;
  /** Queued envelopes (ring), oldest first: those of `sealed` frames, then those of the open batch. */
  private readonly envelopes: (Envelope | undefined)[];
  private head = 0;
  private count = 0;
  /** Encoded element bytes queued (sealed and open). */
  private queuedBytes = 0;
  /** Sealed frames not yet written, oldest first (`sealed[sealedHead..]`). */
  private sealed: SealedFrame[] = [];
  private sealedHead = 0;
  /** The open batch: its elements are `slab[openStart, openEnd)`; `openEnvelopes` of them. */
  private slab: Slab = { buffer: Buffer.allocUnsafe(0), frames: 0, retired: false };
  private readonly spare: Buffer[] = [];
  private openStart = 0;
  private openEnd = 0;
  private openEnvelopes = 0;
  /** The string table of the attached stream, once its peer announced one. */
  private strings: StringTableEncoder | undefined;
  private readonly refs = envelopeRefs();
  /** This node's features were announced on the attached stream. */
  private featuresSent = false;
  /** Asked when a partly filled batch is due: true holds it for one more loop turn. */
  private hold: (() => boolean) | undefined;
  /** Turns the open batch has been held, and when it was first due (performance.now() ms). */
  private heldTurns = 0;
  private heldSince = 0;
  private readonly runFlush = (): void => {
    this.scheduled = false;
    if (this.holdOpenBatch()) {
      this.scheduled = true;
      setImmediate(this.runFlush);
      return;
    }
    this.flush();
  };

  constructor(private readonly options: StreamWriterOptions) {
    const capacity = options.capacity;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer; got ${String(capacity)}`);
    this.capacity = capacity;
    this.maxHoldMicros = options.maxHoldMicros ?? MAX_HELD_MICROS;
    this.envelopes = new Array<Envelope | undefined>(capacity).fill(undefined);
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
    return this.queuedBytes;
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
    const strings = this.strings;
    // From here on the envelope is written: its new strings may take table indices.
    const wireBody = strings === undefined ? body : measureWithTable(envelope, body, strings, this.refs);
    const size = envelopeElementSize(wireBody);
    const open = this.openEnvelopes;
    if (open > 0 && this.openEnd - this.openStart + size > this.options.maxBatchBytes) this.seal();
    if (this.openEnd + size > this.slab.buffer.length) this.newSlab(size);
    // `body` came from measureEnvelope, which validated the deadline and the kind.
    const deadline = envelope.deadlineUnixMs === 0n ? 0 : Number(envelope.deadlineUnixMs);
    this.openEnd = writeMeasuredElement(
      this.slab.buffer,
      this.openEnd,
      envelope,
      wireBody,
      strings === undefined ? NO_REFS : this.refs,
      deadline,
      envelope.kind,
    );
    this.openEnvelopes += 1;
    this.queuedBytes += size;
    let slot = this.head + this.count;
    if (slot >= this.capacity) slot -= this.capacity;
    this.envelopes[slot] = envelope;
    this.count += 1;
    if (
      this.openEnvelopes >= this.options.maxBatchEnvelopes ||
      this.openEnd - this.openStart >= this.options.maxBatchBytes
    ) {
      this.seal();
      if (this.sink !== undefined && !this.waitingDrain) this.writeSealed();
    } else if (this.sink !== undefined && !this.waitingDrain) {
      this.schedule();
    }
    return true;
  }

  /** Starts writing to `sink` (a new stream); anything already queued goes out first. */
  attach(sink: FrameSink): void {
    // Queued frames may use the string table of the stream attached now; they must not go elsewhere.
    if (this.sink !== undefined) throw new Error('the stream writer is already attached; detach it first');
    this.sink = sink;
    this.waitingDrain = false;
    if (this.count > 0) this.schedule();
  }

  /**
   * Lets `predicate` hold a partly filled batch for another loop turn when it is due, within
   * MAX_HELD_TURNS turns and MAX_HELD_MICROS of the first time it was due; the reader of the same
   * stream passes one that is true while its peer's requests are being answered one per turn, so
   * that the answers to one inbound frame share one write instead of one write each (a grpc-js
   * write, an HTTP/2 frame and a TLS record on both sides per answer). A full batch is never held.
   * `undefined` removes it.
   */
  holdWhile(predicate: (() => boolean) | undefined): void {
    this.hold = predicate;
  }

  /** Whether this node's StreamFeatures went out on the attached stream. */
  get featuresAnnounced(): boolean {
    return this.featuresSent;
  }

  /**
   * Announces this node's StreamFeatures on the attached stream, at once and ahead of queued
   * batches (it describes what this node decodes, so its order among them does not matter).
   * Once per stream; nothing when detached.
   */
  announceFeatures(stringTableEntries: number): void {
    const sink = this.sink;
    if (sink === undefined || this.featuresSent) return;
    this.featuresSent = true;
    // A false return (the stream's buffer is full) needs no 'drain' wait here: the next batch
    // write sees the same backpressure and waits for it.
    sink.write(encodeFeaturesFrame(stringTableEntries), noteWritten);
  }

  /**
   * The peer of the attached stream keeps a string table of `entries`: envelopes offered from now
   * on send target, sender and type by reference. Only the first announcement per stream counts.
   */
  useStringTable(entries: number): void {
    if (this.sink === undefined || this.strings !== undefined || entries <= 0) return;
    this.strings = new StringTableEncoder(entries);
  }

  /** Entries of the attached stream's string table (0 when it sends literals only). */
  get stringTableSize(): number {
    return this.strings === undefined ? 0 : this.strings.size;
  }

  /** Cancels the attached stream when the sink can (a grpc-js client call); false when it cannot. */
  cancelStream(): boolean {
    const sink = this.sink;
    if (sink?.cancel === undefined) return false;
    sink.cancel();
    return true;
  }

  /** Stops writing; returns the envelopes still queued (never written), oldest first. */
  detach(): Envelope[] {
    this.sink = undefined;
    this.waitingDrain = false;
    // The stream's string table goes with it (and every frame encoded against it, below).
    this.strings = undefined;
    this.featuresSent = false;
    const leftovers: Envelope[] = [];
    while (this.count > 0) {
      const envelope = this.envelopes[this.head];
      this.envelopes[this.head] = undefined;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.count -= 1;
      if (envelope !== undefined) leftovers.push(envelope);
    }
    this.head = 0;
    this.queuedBytes = 0;
    for (let i = this.sealedHead; i < this.sealed.length; i += 1) {
      const dropped = this.sealed[i];
      if (dropped !== undefined) this.released(dropped.slab);
    }
    this.sealed = [];
    this.sealedHead = 0;
    // The unwritten batches are dropped; the slab's unused rest serves the next batch.
    this.heldTurns = 0;
    this.openEnvelopes = 0;
    this.openStart = this.openEnd + BATCH_HEADER_ROOM;
    this.openEnd = this.openStart;
    return leftovers;
  }

  /** Writes queued envelopes now, batch by batch, until the queue is empty or the stream pushes back. */
  flush(): void {
    if (this.sink === undefined || this.waitingDrain) return;
    if (this.openEnvelopes > 0) this.seal();
    this.writeSealed();
  }

  /** Writes sealed frames until none is left or the stream pushes back. */
  private writeSealed(): void {
    const sink = this.sink;
    while (sink !== undefined && !this.waitingDrain && this.sealedHead < this.sealed.length) {
      const next = this.sealed[this.sealedHead];
      if (next === undefined) break;
      this.sealed[this.sealedHead] = EMPTY_FRAME;
      this.sealedHead += 1;
      if (this.sealedHead === this.sealed.length) {
        this.sealed.length = 0;
        this.sealedHead = 0;
      } else if (this.sealedHead >= 64 && this.sealedHead * 2 >= this.sealed.length) {
        // Under steady backpressure the list never empties: drop the written prefix now and then.
        this.sealed.splice(0, this.sealedHead);
        this.sealedHead = 0;
      }
      const tapWritten =
        this.options.tap === undefined ? undefined : this.tapFrameOut(this.options.tap, next);
      // The frame's envelopes leave the queue: they are the oldest.
      for (let i = 0; i < next.envelopes; i += 1) {
        this.envelopes[this.head] = undefined;
        this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      }
      this.count -= next.envelopes;
      this.queuedBytes -= next.bytes;
      if (this.count === 0 && this.spare.length > IDLE_SPARE_SLABS) this.spare.length = IDLE_SPARE_SLABS;
      this.options.onBatch(next.envelopes);
      const slab = next.slab;
      const written =
        tapWritten === undefined
          ? () => this.released(slab)
          : () => {
              tapWritten();
              this.released(slab);
            };
      if (!sink.write(next.frame, written)) {
        this.waitingDrain = true;
        sink.once('drain', () => {
          if (this.sink !== sink) return;
          this.waitingDrain = false;
          this.flush();
        });
      }
    }
  }

  /** Tells the frame tap of `frame` (its envelopes are the oldest queued); returns its written hook. */
  private tapFrameOut(tap: FrameTap, frame: SealedFrame): () => void {
    const envelopes: Envelope[] = [];
    for (let i = 0, slot = this.head; i < frame.envelopes; i += 1) {
      const envelope = this.envelopes[slot];
      if (envelope !== undefined) envelopes.push(envelope);
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
    }
    return tap.frameOut(envelopes);
  }

  /** Closes the open batch into a frame (header written before its elements) ready to be written. */
  private seal(): void {
    this.slab.frames += 1;
    this.sealed.push({
      frame: sealBatchFrame(this.slab.buffer, this.openStart, this.openEnd),
      slab: this.slab,
      envelopes: this.openEnvelopes,
      bytes: this.openEnd - this.openStart,
    });
    this.openEnvelopes = 0;
    this.openStart = this.openEnd + BATCH_HEADER_ROOM;
    this.openEnd = this.openStart;
    this.heldTurns = 0;
  }

  /** The open batch continues in a new slab with room for an element of `size` bytes. */
  private newSlab(size: number): void {
    if (this.openEnvelopes > 0) this.seal();
    const old = this.slab;
    old.retired = true;
    if (old.frames === 0) this.recycle(old.buffer);
    const needed = BATCH_HEADER_ROOM + size;
    const buffer =
      needed <= SLAB_BYTES
        ? (this.spare.pop() ?? Buffer.allocUnsafe(SLAB_BYTES))
        : Buffer.allocUnsafe(needed);
    this.slab = { buffer, frames: 0, retired: false };
    this.openStart = BATCH_HEADER_ROOM;
    this.openEnd = BATCH_HEADER_ROOM;
  }

  /** A frame of `slab` is no longer needed (written and released by the stream, or dropped). */
  private released(slab: Slab): void {
    slab.frames -= 1;
    if (slab.retired && slab.frames === 0) this.recycle(slab.buffer);
  }

  private recycle(buffer: Buffer): void {
    const keep = this.count > 0 ? SPARE_SLABS : IDLE_SPARE_SLABS;
    if (buffer.length === SLAB_BYTES && this.spare.length < keep) this.spare.push(buffer);
  }

  /** Whether the due open batch waits another turn (see `holdWhile`). */
  private holdOpenBatch(): boolean {
    const hold = this.hold;
    if (hold === undefined || this.openEnvelopes === 0 || this.sink === undefined || this.waitingDrain)
      return false;
    if (this.heldTurns === 0) this.heldSince = performance.now();
    else if (
      this.heldTurns >= MAX_HELD_TURNS ||
      (performance.now() - this.heldSince) * 1000 >= this.maxHoldMicros
    )
      return false;
    if (!hold()) return false;
    this.heldTurns += 1;
    return true;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.options.flushScheduling === FlushScheduling.MICROTASK) queueMicrotask(this.runFlush);
    else setImmediate(this.runFlush);
  }
}

function noteWritten(): void {
  // The features frame is a buffer of its own: nothing to release.
}

const EMPTY_FRAME: SealedFrame = {
  frame: Buffer.alloc(0),
  slab: { buffer: Buffer.alloc(0), frames: 0, retired: true },
  envelopes: 0,
  bytes: 0,
};
