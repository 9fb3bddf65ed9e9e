import { encodeBatchFrame } from './frame-codec.ts';
import { OutboundQueue } from './outbound-queue.ts';
import type { QueuedEnvelope } from './outbound-queue.ts';

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

/**
 * The writer: a bounded queue drained into batch frames. A batch is written as soon as it is full
 * (count or bytes), otherwise at the end of the current tick, so envelopes sent together share one
 * stream write. When the stream's buffer is full (`write` returns false) it waits for 'drain';
 * meanwhile envelopes accumulate in the queue up to its capacity, and then `offer` refuses.
 */
export class StreamWriter {
  readonly queue: OutboundQueue;
  private sink: FrameSink | undefined;
  private scheduled = false;
  private waitingDrain = false;
  private readonly elements: Buffer[] = [];
  private readonly runFlush = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly options: StreamWriterOptions) {
    this.queue = new OutboundQueue(options.capacity);
  }

  get attached(): boolean {
    return this.sink !== undefined;
  }

  /** True when nothing is queued and no write is waiting for 'drain'. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.waitingDrain;
  }

  /** Queues an envelope; false when the queue is full (the caller reports overload). */
  offer(item: QueuedEnvelope): boolean {
    if (!this.queue.offer(item)) return false;
    if (this.sink === undefined || this.waitingDrain) return true;
    if (
      this.queue.length >= this.options.maxBatchEnvelopes ||
      this.queue.bytes >= this.options.maxBatchBytes
    ) {
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
    if (this.queue.length > 0) this.schedule();
  }

  /** Stops writing; returns what was still queued (never written). */
  detach(): QueuedEnvelope[] {
    this.sink = undefined;
    this.waitingDrain = false;
    return this.queue.drain();
  }

  /** Writes queued envelopes now, batch by batch, until the queue is empty or the stream pushes back. */
  flush(): void {
    const sink = this.sink;
    while (sink !== undefined && !this.waitingDrain && this.queue.length > 0) {
      const elements = this.elements;
      const bytes = this.queue.take(this.options.maxBatchEnvelopes, this.options.maxBatchBytes, elements);
      const frame = encodeBatchFrame(elements, bytes);
      this.options.onBatch(elements.length);
      elements.length = 0;
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

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.options.flushScheduling === FlushScheduling.MICROTASK) queueMicrotask(this.runFlush);
    else setImmediate(this.runFlush);
  }
}
