import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { FrameCursor, decodeEnvelope, measureEnvelope } from './envelope-codec.ts';
import { decodeEnvelopeFast } from './envelope-fast-decode.ts';
import { MalformedFrameError } from './errors.ts';
import { StreamWriter } from './stream-writer.ts';
import { StringTableDecoder } from './string-table.ts';

const envelopeArb: fc.Arbitrary<Envelope> = fc.record({
  target: fc.oneof(fc.constantFrom('bench/receiver', 'orders/acc-1', ''), fc.string({ maxLength: 12 })),
  sender: fc.oneof(fc.constantFrom('node-1', 'bench/sender', ''), fc.string({ maxLength: 12 })),
  type: fc.oneof(fc.constantFrom('bench.Tick', 'ninja.v1.Order'), fc.string({ maxLength: 12 })),
  payload: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  correlationId: fc.oneof(fc.constant(''), fc.string({ maxLength: 24 })),
  traceId: fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 8 })),
  deadlineUnixMs: fc.oneof(
    fc.constant(0n),
    fc.bigInt({ min: 1n, max: 2n ** 49n }),
    fc.bigInt({ min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
  ),
  kind: fc.constantFrom(
    EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    EnvelopeKind.ENVELOPE_KIND_REQUEST,
    EnvelopeKind.ENVELOPE_KIND_RESPONSE,
    EnvelopeKind.ENVELOPE_KIND_ERROR,
  ),
  error: fc.option(
    fc.record({ code: fc.constant('NOT_FOUND'), message: fc.string(), retryable: fc.boolean() }),
    {
      nil: undefined,
    },
  ),
});

/** The Envelope bodies a writer with a peer table of `entries` produced for `envelopes`, in order. */
function encodedBodies(
  envelopes: readonly Envelope[],
  entries: number,
): { buffer: Buffer; start: number; end: number }[] {
  const frames: Buffer[] = [];
  const writer = new StreamWriter({
    capacity: 10_000,
    maxBatchEnvelopes: 5,
    maxBatchBytes: 4096,
    flushScheduling: 'immediate',
    onBatch: () => undefined,
  });
  writer.attach({
    write: (frame, written) => {
      frames.push(Buffer.from(frame));
      written();
      return true;
    },
    once: () => undefined,
  });
  writer.useStringTable(entries);
  for (const envelope of envelopes) expect(writer.offer(envelope, measureEnvelope(envelope))).toBe(true);
  writer.flush();
  const bodies: { buffer: Buffer; start: number; end: number }[] = [];
  for (const frame of frames) {
    const outer = new FrameCursor(frame, 0, frame.length);
    outer.varint();
    const batchStart = outer.delimited();
    const batch = new FrameCursor(frame, batchStart, outer.position);
    while (batch.position < outer.position) {
      batch.varint();
      const start = batch.delimited();
      bodies.push({ buffer: frame, start, end: batch.position });
    }
  }
  return bodies;
}

type Outcome = { readonly envelope: Envelope } | { readonly error: string };

function outcome(decode: () => Envelope): Outcome {
  try {
    return { envelope: decode() };
  } catch (error) {
    if (!(error instanceof MalformedFrameError)) throw error;
    return { error: error.message };
  }
}

/** Both decoders over the same bodies, each with its own receiving table, until the first error. */
function compareStreams(
  bodies: readonly { buffer: Buffer; start: number; end: number }[],
  entries: number,
): Envelope[] {
  const general = new StringTableDecoder(entries);
  const fast = new StringTableDecoder(entries);
  const decoded: Envelope[] = [];
  for (const { buffer, start, end } of bodies) {
    const expected = outcome(() => decodeEnvelope(buffer, start, end, general));
    const actual = outcome(() => decodeEnvelopeFast(buffer, start, end, fast));
    expect(actual).toEqual(expected);
    expect(fast.size).toBe(general.size);
    if ('error' in expected) break;
    decoded.push(expected.envelope);
  }
  return decoded;
}

describe('the fast envelope decoder', () => {
  it('decodes what the writer sends exactly as the general decoder does, with and without tables', () => {
    fc.assert(
      fc.property(
        fc.array(envelopeArb, { maxLength: 40 }),
        fc.constantFrom(0, 2, 4096),
        (envelopes, entries) => {
          expect(compareStreams(encodedBodies(envelopes, entries), entries)).toEqual(envelopes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees with the general decoder on corrupted bodies: the same envelope or the same error', () => {
    fc.assert(
      fc.property(
        fc.array(envelopeArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (envelopes, flips) => {
          const bodies = encodedBodies(envelopes, 4096);
          for (const [at, byte] of flips) {
            const body = bodies[at % bodies.length];
            if (body === undefined || body.end === body.start) continue;
            body.buffer[body.start + (at % (body.end - body.start))] = byte;
          }
          compareStreams(bodies, 4096);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with the general decoder on every truncation of a body', () => {
    fc.assert(
      fc.property(fc.array(envelopeArb, { minLength: 1, maxLength: 6 }), (envelopes) => {
        const bodies = encodedBodies(envelopes, 4096);
        const last = bodies.length - 1;
        const body = bodies[last];
        if (body === undefined) return;
        for (let end = body.start; end < body.end; end += 1) {
          compareStreams([...bodies.slice(0, last), { ...body, end }], 4096);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a reference to an index never defined, and one on a stream without a table', () => {
    // target_ref 7 alone, then a payload: valid protobuf, but index 7 was never defined.
    const body = Buffer.from([0x50, 7, 0x22, 1, 0xff]);
    expect(() => decodeEnvelopeFast(body, 0, body.length, new StringTableDecoder(16))).toThrow(
      MalformedFrameError,
    );
    expect(() => decodeEnvelopeFast(body, 0, body.length, undefined)).toThrow(MalformedFrameError);
  });
});
