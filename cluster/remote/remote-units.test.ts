import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../proto/index.ts';
import { EnvelopeBatch, EnvelopeKind } from '../../proto/index.ts';
import { Backoff } from './backoff.ts';
import { encodeEnvelopeElement } from './envelope-codec.ts';
import { MalformedFrameError } from './errors.ts';
import { decodeFrame, encodeBatchFrame } from './frame-codec.ts';
import { OutboundQueue } from './outbound-queue.ts';
import { StreamWriter } from './stream-writer.ts';

const sample = (i: number): Envelope => ({
  target: `counter/k-${String(i)}`,
  sender: 'node-1',
  type: 'ninja.v1.Test',
  payload: Buffer.from(`payload-é-${String(i)}`),
  correlationId: `c-${String(i)}`,
  traceId: i % 2 === 0 ? '' : 't',
  deadlineUnixMs: BigInt(1_700_000_000_000 + i),
  kind: EnvelopeKind.ENVELOPE_KIND_ERROR,
  error: { code: 'NOT_FOUND', message: 'gone', retryable: i % 2 === 0 },
});

describe('envelope codec', () => {
  it('is wire-compatible with the generated ts-proto code in both directions', () => {
    const envelopes = Array.from({ length: 20 }, (_, i) => sample(i));
    const elements = envelopes.map((e) => encodeEnvelopeElement(e).bytes);
    const frame = encodeBatchFrame(
      elements,
      elements.reduce((n, b) => n + b.length, 0),
    );
    // Our frame is a ConnectRequest{batch}; strip its 1-byte tag + length to get the EnvelopeBatch.
    const decodedByTsProto = EnvelopeBatch.decode(
      frame.subarray(frame.length - elements.reduce((n, b) => n + b.length, 0)),
    );
    expect(decodedByTsProto.envelopes).toEqual(envelopes);
    const tsProtoBytes = Buffer.from(EnvelopeBatch.encode({ envelopes }).finish());
    const ours = decodeFrame(
      Buffer.concat([Buffer.from([0x12]), encodeVarint(tsProtoBytes.length), tsProtoBytes]),
    );
    expect(ours.frame === 'batch' ? ours.envelopes : []).toEqual(envelopes);
  });

  it('rejects malformed frames with MalformedFrameError', () => {
    for (const bytes of [[0x12, 0x05, 0x0a], [0xff, 0xff, 0xff], [0x12, 0x02, 0x0a, 0x09], [0x0f]]) {
      expect(() => decodeFrame(Buffer.from(bytes))).toThrow(MalformedFrameError);
    }
  });
});

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

describe('OutboundQueue', () => {
  it('is bounded, FIFO, and batches by count and bytes', () => {
    const queue = new OutboundQueue(3);
    const item = (n: number) => ({ envelope: sample(n), bytes: Buffer.alloc(10, n) });
    expect([queue.offer(item(1)), queue.offer(item(2)), queue.offer(item(3)), queue.offer(item(4))]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const out: Buffer[] = [];
    expect(queue.take(10, 15, out)).toBe(10);
    expect(out[0]?.[0]).toBe(1);
    expect(queue.offer(item(5))).toBe(true);
    expect(queue.drain().map((i) => i.bytes[0])).toEqual([2, 3, 5]);
    expect(queue.bytes).toBe(0);
  });
});

describe('StreamWriter', () => {
  it('coalesces offers into one write per tick and waits for drain on backpressure', async () => {
    const writes: Buffer[] = [];
    let accept = true;
    let drain: (() => void) | undefined;
    const writer = new StreamWriter({
      capacity: 1000,
      maxBatchEnvelopes: 100,
      maxBatchBytes: 1 << 20,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
    });
    writer.attach({
      write: (frame) => (writes.push(frame), accept),
      once: (_e, listener) => (drain = listener),
    });
    for (let i = 0; i < 10; i += 1)
      writer.offer({ envelope: sample(i), bytes: encodeEnvelopeElement(sample(i)).bytes });
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    accept = false;
    for (let i = 0; i < 250; i += 1)
      writer.offer({ envelope: sample(i), bytes: encodeEnvelopeElement(sample(i)).bytes });
    expect(writes).toHaveLength(2); // one full batch written, then the stream pushed back
    expect(writer.queue.length).toBe(150);
    accept = true;
    drain?.();
    expect(writer.queue.length).toBe(0);
  });
});

describe('Backoff', () => {
  it('grows exponentially with jitter up to the cap and resets', () => {
    const backoff = new Backoff({ initialMs: 10, maxMs: 100, jitter: 0.5 }, () => 0);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      10, 20, 40, 80, 100,
    ]);
    const jittered = new Backoff({ initialMs: 100, jitter: 0.5 }, () => 1);
    expect(jittered.next()).toBe(50);
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});
