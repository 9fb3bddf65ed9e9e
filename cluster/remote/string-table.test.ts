import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { ConnectRequest, Envelope, EnvelopeKind } from '../../proto/index.ts';
import { testLogger } from '../../test/support/index.ts';
import { Connection } from './connection.ts';
import { measureEnvelope } from './envelope-codec.ts';
import { MalformedFrameError } from './errors.ts';
import { decodeFrame, encodeFeaturesFrame } from './frame-codec.ts';
import { remoteMetrics } from './metrics.ts';
import { PendingRequests } from './pending-requests.ts';
import { StreamWriter } from './stream-writer.ts';
import type { FrameSink } from './stream-writer.ts';
import { STRING_TABLE_ENTRIES, StringTableDecoder } from './string-table.ts';

// ---------- generators ----------

const identityArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('bench/receiver', 'orders/acc-1', 'book/binanceus/BTC-USD', 'node-1'),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 60, maxLength: 90 }) },
  { weight: 1, arbitrary: fc.constant('') },
);
const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('ninja.v1.Order', 'bench.Tick', 'test.Echo') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);
const envelopeArb: fc.Arbitrary<Envelope> = fc.record({
  target: identityArb,
  sender: identityArb,
  type: typeArb,
  payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  correlationId: fc.oneof(fc.constant(''), fc.string({ maxLength: 24 })),
  traceId: fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 16 })),
  deadlineUnixMs: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) })),
  kind: fc.constantFrom(
    EnvelopeKind.ENVELOPE_KIND_UNSPECIFIED,
    EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    EnvelopeKind.ENVELOPE_KIND_REQUEST,
    EnvelopeKind.ENVELOPE_KIND_RESPONSE,
    EnvelopeKind.ENVELOPE_KIND_ERROR,
  ),
  error: fc.option(
    fc.record({
      code: fc.constantFrom('NOT_FOUND', 'UNAVAILABLE', ''),
      message: fc.string({ maxLength: 40 }),
      retryable: fc.boolean(),
    }),
    { nil: undefined },
  ),
});

// ---------- helpers ----------

/** A sink that keeps a copy of every frame and releases the writer's slab at once. */
function recordingSink(): FrameSink & { readonly frames: Buffer[] } {
  const frames: Buffer[] = [];
  return {
    frames,
    write: (frame, written) => {
      frames.push(Buffer.from(frame));
      written();
      return true;
    },
    once: () => undefined,
  };
}

function writer(): StreamWriter {
  return new StreamWriter({
    capacity: 100_000,
    maxBatchEnvelopes: 7,
    maxBatchBytes: 2048,
    flushScheduling: 'immediate',
    onBatch: () => undefined,
  });
}

function offerAll(to: StreamWriter, envelopes: readonly Envelope[]): void {
  for (const envelope of envelopes) expect(to.offer(envelope, measureEnvelope(envelope))).toBe(true);
  to.flush();
}

/** Our decoder over one stream's frames, with that stream's receiving table. */
function decodeStream(frames: readonly Buffer[], table: StringTableDecoder): Envelope[] {
  return frames.flatMap((frame) => {
    const decoded = decodeFrame(frame, Number.POSITIVE_INFINITY, table);
    if (decoded.frame !== 'batch') throw new Error('not a batch');
    return decoded.envelopes;
  });
}

/**
 * The reference: each frame decoded by the generated ts-proto code, references resolved with a
 * plain array by the rules of the proto comment (literal + ref defines the next index; ref alone
 * stands for a defined one), then the wire-only fields dropped.
 */
function referenceDecodeStream(frames: readonly Buffer[]): Envelope[] {
  const strings: string[] = [''];
  const resolve = (literal: string, ref: number | undefined): string => {
    if (ref === undefined) return literal;
    if (literal.length > 0) {
      expect(ref).toBe(strings.length);
      strings.push(literal);
      return literal;
    }
    const text = strings[ref];
    if (text === undefined) throw new Error(`reference decoder: unknown index ${String(ref)}`);
    return text;
  };
  return frames.flatMap((frame) => {
    const batch = ConnectRequest.decode(frame).batch;
    if (batch === undefined) throw new Error('not a batch');
    return batch.envelopes.map(({ targetRef, senderRef, typeRef, ...envelope }) => ({
      ...envelope,
      target: resolve(envelope.target, targetRef),
      sender: resolve(envelope.sender, senderRef),
      type: resolve(envelope.type, typeRef),
    }));
  });
}

/** Whether any frame carries a string reference, per the reference decoder. */
function usesReferences(frames: readonly Buffer[]): boolean {
  return frames.some((frame) =>
    (ConnectRequest.decode(frame).batch?.envelopes ?? []).some(
      (e) => e.targetRef !== undefined || e.senderRef !== undefined || e.typeRef !== undefined,
    ),
  );
}

// ---------- properties ----------

describe('string tables on the wire', () => {
  it('encode → decode is the identity, ours and the ts-proto reference alike, across table overflow and reconnects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(envelopeArb, { maxLength: 60 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0, 1, 3, 8, STRING_TABLE_ENTRIES),
        (streams, announced) => {
          // One writer over several streams (a dialer that reconnects): each stream starts with
          // empty tables on both sides; envelopes queued while detached go out on the next one.
          const out = writer();
          for (const envelopes of streams) {
            const sink = recordingSink();
            out.attach(sink);
            out.useStringTable(announced);
            offerAll(out, envelopes);
            const table = new StringTableDecoder(announced);
            expect(decodeStream(sink.frames, table)).toEqual(envelopes);
            expect(referenceDecodeStream(sink.frames)).toEqual(envelopes);
            expect(table.size).toBe(out.stringTableSize);
            expect(table.size).toBeLessThanOrEqual(announced);
            if (announced === 0) expect(usesReferences(sink.frames)).toBe(false);
            expect(out.detach()).toEqual([]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('repeated strings travel as indices once defined, and a full table falls back to literals', () => {
    const out = writer();
    const sink = recordingSink();
    out.attach(sink);
    out.useStringTable(2);
    const base: Envelope = {
      target: 'orders/acc-1',
      sender: 'node-1',
      type: 'ninja.v1.Order',
      payload: Buffer.from('x'),
      correlationId: '',
      traceId: '',
      deadlineUnixMs: 0n,
      kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
      error: undefined,
    };
    offerAll(out, [base, base, { ...base, target: 'orders/acc-2' }]);
    const wire = sink.frames.flatMap((frame) => ConnectRequest.decode(frame).batch?.envelopes ?? []);
    // Target and sender take indices 1 and 2; the type finds the table full and stays literal.
    expect(wire.map((e) => [e.target, e.targetRef, e.sender, e.senderRef, e.type, e.typeRef])).toEqual([
      ['orders/acc-1', 1, 'node-1', 2, 'ninja.v1.Order', undefined],
      ['', 1, '', 2, 'ninja.v1.Order', undefined],
      ['orders/acc-2', undefined, '', 2, 'ninja.v1.Order', undefined],
    ]);
  });

  it('a writer that was never told of a peer table sends literals only (an older peer reads them)', () => {
    fc.assert(
      fc.property(fc.array(envelopeArb, { maxLength: 40 }), (envelopes) => {
        const out = writer();
        const sink = recordingSink();
        out.attach(sink);
        offerAll(out, envelopes);
        expect(usesReferences(sink.frames)).toBe(false);
        expect(referenceDecodeStream(sink.frames)).toEqual(envelopes);
        expect(decodeStream(sink.frames, new StringTableDecoder(0))).toEqual(envelopes);
      }),
      { numRuns: 40 },
    );
  });

  it('the features frame is an empty batch to a decoder that does not know it', () => {
    const frame = encodeFeaturesFrame(STRING_TABLE_ENTRIES);
    const byTsProto = ConnectRequest.decode(frame);
    expect(byTsProto.batch?.envelopes).toEqual([]);
    expect(byTsProto.batch?.features?.stringTableEntries).toBe(STRING_TABLE_ENTRIES);
    const ours = decodeFrame(frame);
    expect(ours.frame === 'batch' ? [ours.envelopes, ours.stringTableEntries] : []).toEqual([
      [],
      STRING_TABLE_ENTRIES,
    ]);
  });
});

// ---------- protocol errors ----------

function batchFrame(envelopes: readonly Partial<Envelope>[]): Buffer {
  return Buffer.from(
    ConnectRequest.encode({ batch: { envelopes: envelopes.map((e) => Envelope.fromPartial(e)) } }).finish(),
  );
}

describe('string table protocol errors', () => {
  const cases: [string, Partial<Envelope>[], RegExp][] = [
    ['an unknown index', [{ targetRef: 1 }], /unknown index 1/],
    ['index 0', [{ target: 'a', targetRef: 0 }], /out of order/],
    ['a definition out of order', [{ target: 'a', targetRef: 2 }], /out of order/],
    [
      'a definition beyond the announced entries',
      [
        { target: 'a', targetRef: 1 },
        { target: 'b', targetRef: 2 },
        { target: 'c', targetRef: 3 },
      ],
      /beyond the 2 entries/,
    ],
    [
      'a use of an index after a redefinition attempt',
      [
        { target: 'a', targetRef: 1 },
        { sender: 'b', senderRef: 1 },
      ],
      /out of order/,
    ],
  ];
  for (const [name, envelopes, message] of cases) {
    it(`refuses ${name} with MalformedFrameError`, () => {
      expect(() =>
        decodeFrame(batchFrame(envelopes), Number.POSITIVE_INFINITY, new StringTableDecoder(2)),
      ).toThrow(message);
    });
  }

  it('refuses references on a stream without a table', () => {
    expect(() => decodeFrame(batchFrame([{ target: 'a', targetRef: 1 }]))).toThrow(MalformedFrameError);
  });
});

describe('Connection and string tables', () => {
  function connection(): {
    readonly connection: Connection;
    readonly out: StreamWriter;
    readonly sink: FrameSink & { readonly frames: Buffer[]; cancelled: number };
    readonly delivered: Envelope[];
    readonly registry: MetricsRegistry;
  } {
    const registry = new MetricsRegistry();
    const delivered: Envelope[] = [];
    const host = {
      nodeId: 'node-b',
      logger: testLogger(),
      metrics: remoteMetrics(registry),
      maxEnvelopeBytes: 1 << 20,
      pending: new PendingRequests(() => undefined),
      deliver: (envelope: Envelope) => void delivered.push(envelope),
    };
    const out = writer();
    const frames: Buffer[] = [];
    const sink = {
      frames,
      cancelled: 0,
      write: (frame: Buffer, written: () => void) => {
        frames.push(Buffer.from(frame));
        written();
        return true;
      },
      once: () => undefined,
      cancel(): void {
        this.cancelled += 1;
      },
    };
    out.attach(sink);
    return { connection: new Connection(host, 'node-a', out), out, sink, delivered, registry };
  }

  const message = (target: string): Envelope => ({
    target,
    sender: 'node-a',
    type: 'test.Ping',
    payload: Buffer.from('p'),
    correlationId: '',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    error: undefined,
  });

  async function streamErrors(registry: MetricsRegistry, reason: string): Promise<number> {
    const body = (await registry.expose()).body;
    const line = body
      .split('\n')
      .find((l) => l.startsWith('ninja_remote_stream_errors_total') && l.includes(`reason="${reason}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('answers the peer features with its own and starts sending by reference', () => {
    const { connection: reader, out, sink } = connection();
    reader.onFrame(encodeFeaturesFrame(STRING_TABLE_ENTRIES));
    expect(out.featuresAnnounced).toBe(true);
    const announced = decodeFrame(sink.frames[0] ?? Buffer.alloc(0));
    expect(announced.frame === 'batch' ? announced.stringTableEntries : undefined).toBe(STRING_TABLE_ENTRIES);
    offerAll(out, [message('counter/a'), message('counter/a')]);
    expect(out.stringTableSize).toBe(3);
    expect(usesReferences(sink.frames)).toBe(true);
  });

  it('delivers what a peer sends by reference, across frames', () => {
    const { connection: reader, delivered } = connection();
    reader.onFrame(encodeFeaturesFrame(STRING_TABLE_ENTRIES));
    const peer = writer();
    const peerSink = recordingSink();
    peer.attach(peerSink);
    peer.useStringTable(STRING_TABLE_ENTRIES);
    const sent = [message('counter/a'), message('counter/b'), message('counter/a'), message('counter/a')];
    offerAll(peer, sent.slice(0, 2));
    offerAll(peer, sent.slice(2));
    for (const frame of peerSink.frames) reader.onFrame(frame);
    expect(delivered).toEqual(sent);
    expect(reader.stringTableSize).toBe(4);
  });

  it('closes the stream on a protocol error from a peer that announced features, and ignores what follows', async () => {
    const { connection: reader, sink, delivered, registry } = connection();
    reader.onFrame(encodeFeaturesFrame(STRING_TABLE_ENTRIES));
    reader.onFrame(batchFrame([{ ...message(''), targetRef: 7 }]));
    expect(sink.cancelled).toBe(1);
    expect(reader.closed).toBe(true);
    expect(await streamErrors(registry, 'protocol')).toBe(1);
    reader.onFrame(batchFrame([message('counter/a')]));
    expect(delivered).toEqual([]);
  });

  it('drops a malformed frame from a peer that never announced features and carries on', async () => {
    const { connection: reader, sink, delivered, registry } = connection();
    reader.onFrame(Buffer.from([0x12, 0x05, 0x0a, 0xff, 0xff]));
    expect(sink.cancelled).toBe(0);
    expect(await streamErrors(registry, 'malformed')).toBe(1);
    reader.onFrame(batchFrame([message('counter/a')]));
    expect(delivered).toEqual([message('counter/a')]);
  });

  it('starts every stream with empty tables: after detach and attach, literals until the new peer announces', () => {
    const { out } = connection();
    out.useStringTable(STRING_TABLE_ENTRIES);
    offerAll(out, [message('counter/a')]);
    expect(out.stringTableSize).toBe(3);
    out.detach();
    const next = recordingSink();
    out.attach(next);
    expect(out.stringTableSize).toBe(0);
    expect(out.featuresAnnounced).toBe(false);
    offerAll(out, [message('counter/a')]);
    expect(usesReferences(next.frames)).toBe(false);
    expect(() => out.attach(recordingSink())).toThrow(/already attached/);
  });
});
