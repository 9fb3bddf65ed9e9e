import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { testLogger } from '../../test/support/index.ts';
import { Connection } from './connection.ts';
import { encodeEnvelopeElement, measureEnvelope } from './envelope-codec.ts';
import { encodeBatchFrame } from './frame-codec.ts';
import type { FrameTap } from './frame-tap.ts';
import { remoteMetrics } from './metrics.ts';
import { PendingRequests } from './pending-requests.ts';
import { StreamWriter } from './stream-writer.ts';

// The diagnostic frame tap (bench/remote-messaging.bench.ts, BENCH_REQUEST_STAMPS) sees each batch
// frame's envelopes when the writer hands the frame to its stream, again when the stream reports
// it written, and each frame read, before its envelopes are routed.

const envelope = (i: number, kind: EnvelopeKind = EnvelopeKind.ENVELOPE_KIND_REQUEST): Envelope => ({
  target: 'echo/a',
  sender: 'node-a',
  type: 't.Echo',
  payload: Buffer.from([i]),
  correlationId: `c-${String(i)}`,
  traceId: '',
  deadlineUnixMs: 0n,
  kind,
  error: undefined,
});

function recordingTap(): { tap: FrameTap; events: string[] } {
  const events: string[] = [];
  const ids = (envelopes: readonly Envelope[]): string => envelopes.map((e) => e.correlationId).join(',');
  return {
    events,
    tap: {
      frameOut: (envelopes) => {
        events.push(`out ${ids(envelopes)}`);
        return () => events.push(`written ${ids(envelopes)}`);
      },
      frameIn: (envelopes) => events.push(`in ${ids(envelopes)}`),
    },
  };
}

describe('frame tap', () => {
  it('sees a written frame handed to the stream and reported written, with its envelopes in order', async () => {
    const { tap, events } = recordingTap();
    const writer = new StreamWriter({
      capacity: 100,
      maxBatchEnvelopes: 2,
      maxBatchBytes: 1 << 20,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
      tap,
    });
    const callbacks: (() => void)[] = [];
    writer.attach({
      write: (_frame, done) => {
        events.push('sink write');
        callbacks.push(() => done());
        return true;
      },
      once: () => undefined,
    });
    for (let i = 0; i < 3; i += 1) writer.offer(envelope(i), measureEnvelope(envelope(i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['out c-0,c-1', 'sink write', 'out c-2', 'sink write']);
    for (const callback of callbacks) callback();
    expect(events.slice(4)).toEqual(['written c-0,c-1', 'written c-2']);
  });

  it('sees each frame read before its envelopes are delivered', () => {
    const { tap, events } = recordingTap();
    const writer = new StreamWriter({
      capacity: 100,
      maxBatchEnvelopes: 256,
      maxBatchBytes: 1 << 20,
      flushScheduling: 'immediate',
      onBatch: () => undefined,
    });
    const connection = new Connection(
      {
        nodeId: 'node-b',
        logger: testLogger('node-b'),
        metrics: remoteMetrics(new MetricsRegistry()),
        maxEnvelopeBytes: 1 << 20,
        pending: new PendingRequests(() => undefined),
        deliver: (delivered) => {
          events.push(`deliver ${delivered.correlationId}`);
        },
        frameTap: tap,
      },
      'node-a',
      writer,
    );
    const elements = [0, 1].map(
      (i) => encodeEnvelopeElement(envelope(i, EnvelopeKind.ENVELOPE_KIND_MESSAGE)).bytes,
    );
    connection.onFrame(
      encodeBatchFrame(
        elements,
        elements.reduce((n, b) => n + b.length, 0),
      ),
    );
    expect(events).toEqual(['in c-0,c-1', 'deliver c-0', 'deliver c-1']);
  });
});
