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
    // Non-ASCII and long strings take the native UTF-8 path; short ASCII ones are written in JS.
    envelopes.push({ ...sample(20), target: 'counter/clé-ключ-😀', sender: 'n'.repeat(200), traceId: 'ü' });
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

describe('envelope decoding of repeated strings', () => {
  it('decodes every target, sender and type exactly, cache hits and slot collisions alike', () => {
    // 1,000 distinct ASCII targets of one length share 256 cache slots; each is decoded twice.
    const envelopes: Envelope[] = Array.from({ length: 1_000 }, (_, i) => ({
      ...sample(i),
      target: `actor/${String(i).padStart(6, '0')}`,
      sender: i % 3 === 0 ? 'node-1' : 'node-2',
      type: i % 5 === 0 ? 'ninja.v1.Ping' : 'ninja.v1.Pong',
      error: { code: i % 2 === 0 ? 'NOT_FOUND' : 'UNAVAILABLE', message: 'm', retryable: false },
    }));
    envelopes.push({ ...sample(1), target: 'x'.repeat(65), type: 'ü-type' });
    for (let round = 0; round < 2; round += 1) {
      const elements = envelopes.map((e) => encodeEnvelopeElement(e).bytes);
      const decoded = decodeFrame(
        encodeBatchFrame(
          elements,
          elements.reduce((n, b) => n + b.length, 0),
        ),
      );
      expect(decoded.frame === 'batch' ? decoded.envelopes : []).toEqual(envelopes);
    }
  });
});

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
    for (let i = 0; i < 10; i += 1) writer.offer(sample(i), encodeEnvelopeElement(sample(i)).body);
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    accept = false;
    for (let i = 0; i < 250; i += 1) writer.offer(sample(i), encodeEnvelopeElement(sample(i)).body);
    expect(writes).toHaveLength(2); // one full batch written, then the stream pushed back
    expect(writer.length).toBe(150);
    accept = true;
    drain?.();
    expect(writer.length).toBe(0);
  });
});

describe('StreamWriter storage', () => {
  it('frames what was offered, in order, across slabs (and one larger than a slab); detach hands back the rest', () => {
    const writes: Buffer[] = [];
    let accept = true;
    let drain: (() => void) | undefined;
    const writer = new StreamWriter({
      capacity: 10_000,
      maxBatchEnvelopes: 64,
      maxBatchBytes: 8 * 1024,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
    });
    writer.attach({
      write: (frame) => (writes.push(frame), accept),
      once: (_e, listener) => (drain = listener),
    });
    const offered: Envelope[] = [];
    const offer = (i: number): void => {
      const envelope = { ...sample(i), payload: Buffer.alloc((i * 37) % 1000, i % 251) };
      offered.push(envelope);
      expect(writer.offer(envelope, encodeEnvelopeElement(envelope).body)).toBe(true);
    };
    accept = false;
    for (let i = 0; i < 3000; i += 1) offer(i); // queues over several slabs
    const large = { ...sample(3000), payload: Buffer.alloc(300 * 1024, 9) }; // its own slab
    offered.push(large);
    expect(writer.offer(large, encodeEnvelopeElement(large).body)).toBe(true);
    accept = true;
    drain?.();
    for (let i = 3001; i < 6000; i += 1) offer(i); // written as batches fill
    writer.flush();
    accept = false;
    for (let i = 6000; i < 9000; i += 1) {
      offer(i); // one batch per 'drain' while the queue stays non-empty
      if (i % 16 === 0) drain?.();
    }
    accept = true;
    drain?.();
    accept = false;
    for (let i = 9000; i < 9100; i += 1) offer(i);
    const left = writer.detach();
    const written = writes.flatMap((frame) => {
      const decoded = decodeFrame(frame);
      if (decoded.frame !== 'batch') throw new Error('not a batch');
      expect(decoded.envelopes.length).toBeLessThanOrEqual(64);
      return decoded.envelopes;
    });
    expect(written.length + left.length).toBe(offered.length);
    const key = (e: Envelope): string => `${e.correlationId}:${Buffer.from(e.payload).toString('base64')}`;
    expect(written.map(key)).toEqual(offered.slice(0, written.length).map(key));
    expect(written.at(-1)).toEqual(offered[written.length - 1]);
    expect(left.map(key)).toEqual(offered.slice(written.length).map(key));
    expect(writer.length).toBe(0);
    expect(writer.bytes).toBe(0);
  });

  it('reuses a slab only after the stream released every frame cut from it', () => {
    // Like grpc-js: a frame is read when written (here: decoded) and released later; a frame must
    // still hold its bytes when released, however many slabs were filled and reused meanwhile.
    const writer = new StreamWriter({
      capacity: 100_000,
      maxBatchEnvelopes: 128,
      maxBatchBytes: 64 * 1024,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
    });
    const held: { frame: Buffer; copy: Buffer; release: () => void }[] = [];
    let decoded = 0;
    writer.attach({
      write: (frame, written) => {
        held.push({ frame, copy: Buffer.from(frame), release: () => written() });
        return true;
      },
      once: () => undefined,
    });
    const releaseHalf = (): void => {
      for (const item of held.splice(0, Math.ceil(held.length / 2))) {
        expect(item.frame.equals(item.copy)).toBe(true);
        const frame = decodeFrame(item.frame);
        decoded += frame.frame === 'batch' ? frame.envelopes.length : 0;
        item.release();
      }
    };
    for (let i = 0; i < 20_000; i += 1) {
      const envelope = { ...sample(i), payload: Buffer.alloc(i % 300, i % 251) };
      expect(writer.offer(envelope, encodeEnvelopeElement(envelope).body)).toBe(true);
      if (i % 1000 === 999) releaseHalf();
    }
    writer.flush();
    while (held.length > 0) releaseHalf();
    expect(decoded).toBe(20_000);
  });

  it('refuses when full without queueing', () => {
    const writer = new StreamWriter({
      capacity: 2,
      maxBatchEnvelopes: 10,
      maxBatchBytes: 1 << 20,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
    });
    const offer = (e: Envelope): boolean => writer.offer(e, encodeEnvelopeElement(e).body);
    expect([offer(sample(1)), offer(sample(2)), offer(sample(3))]).toEqual([true, true, false]);
    expect(writer.detach().map((e) => e.correlationId)).toEqual(['c-1', 'c-2']);
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
