import type { Envelope } from '../../proto/index.ts';

/** An envelope waiting to be written: the original (to hand back if undeliverable) and its encoding. */
export interface QueuedEnvelope {
  readonly envelope: Envelope;
  /** The encoded EnvelopeBatch element (tag, length, Envelope body). */
  readonly bytes: Buffer;
}

/**
 * A bounded FIFO of encoded envelopes (a ring buffer: no shifting, no growth past `capacity`).
 * `offer` refuses when full; the caller turns that into an overload error.
 */
export class OutboundQueue {
  readonly capacity: number;
  private readonly slots: (QueuedEnvelope | undefined)[];
  private head = 0;
  private count = 0;
  private byteCount = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer; got ${String(capacity)}`);
    this.capacity = capacity;
    this.slots = new Array<QueuedEnvelope | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  /** Encoded bytes waiting. */
  get bytes(): number {
    return this.byteCount;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Appends; false (and nothing queued) when the queue is full. */
  offer(item: QueuedEnvelope): boolean {
    if (this.count === this.capacity) return false;
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    this.byteCount += item.bytes.length;
    return true;
  }

  /**
   * Removes up to `maxItems` from the front, stopping before the total would pass `maxBytes`
   * (but always taking at least one), into `into`. Returns the bytes taken.
   */
  take(maxItems: number, maxBytes: number, into: Buffer[]): number {
    let taken = 0;
    let bytes = 0;
    while (this.count > 0 && taken < maxItems) {
      const item = this.slots[this.head];
      if (item === undefined) throw new Error('outbound queue slot unexpectedly empty');
      if (taken > 0 && bytes + item.bytes.length > maxBytes) break;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
      this.byteCount -= item.bytes.length;
      into.push(item.bytes);
      bytes += item.bytes.length;
      taken += 1;
    }
    return bytes;
  }

  /** Empties the queue, returning what was in it, oldest first. */
  drain(): QueuedEnvelope[] {
    const items: QueuedEnvelope[] = [];
    while (this.count > 0) {
      const item = this.slots[this.head];
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
      if (item !== undefined) items.push(item);
    }
    this.byteCount = 0;
    return items;
  }
}
