import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { testLogger } from '../../test/support/index.ts';
import { Connection } from './connection.ts';
import type { ConnectionHost } from './connection.ts';
import { encodeEnvelopeElement } from './envelope-codec.ts';
import { decodeFrame, encodeBatchFrame } from './frame-codec.ts';
import { remoteMetrics } from './metrics.ts';
import { PendingRequests } from './pending-requests.ts';
import type { DeliverFn } from './remote-transport-options.ts';
import { StreamWriter } from './stream-writer.ts';

// A Connection and its StreamWriter wired to a sink that records frames: the answers to one
// inbound frame of requests share a write even when they are ready one loop turn apart, as they
// are from an actor (nact runs one message per setImmediate).

const request = (i: number): Envelope => ({
  target: 'counter/a',
  sender: 'node-a',
  type: 't.Get',
  payload: Buffer.from([i]),
  correlationId: `c-${String(i)}`,
  traceId: '',
  deadlineUnixMs: 0n,
  kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
  error: undefined,
});

function frameOf(envelopes: readonly Envelope[]): Buffer {
  const elements = envelopes.map((e) => encodeEnvelopeElement(e).bytes);
  return encodeBatchFrame(
    elements,
    elements.reduce((n, b) => n + b.length, 0),
  );
}

/** The correlation ids of each written frame's envelopes. */
function wire(
  deliver: DeliverFn,
  maxHoldMicros = 60_000_000,
): { connection: Connection; written: string[][] } {
  const written: string[][] = [];
  const writer = new StreamWriter({
    capacity: 10_000,
    maxBatchEnvelopes: 256,
    maxBatchBytes: 1 << 20,
    flushScheduling: 'immediate',
    onBatch: () => undefined,
    // The hold's time bound is the one bound here that depends on the machine; the tests give it
    // a minute unless they test it.
    maxHoldMicros,
  });
  writer.attach({
    write: (frame, done) => {
      const decoded = decodeFrame(frame);
      written.push(decoded.frame === 'batch' ? decoded.envelopes.map((e) => e.correlationId) : []);
      done();
      return true;
    },
    once: () => undefined,
  });
  const host: ConnectionHost = {
    nodeId: 'node-b',
    logger: testLogger('node-b'),
    metrics: remoteMetrics(new MetricsRegistry()),
    maxEnvelopeBytes: 1 << 20,
    pending: new PendingRequests(() => undefined),
    deliver,
  };
  return { connection: new Connection(host, 'node-a', writer), written };
}

/** Answers in delivery order, one per loop turn, as an actor behind the cluster does. */
function oneAnswerPerTurn(): DeliverFn {
  const queue: (() => void)[] = [];
  const next = (): void => {
    queue.shift()?.();
    if (queue.length > 0) setImmediate(next);
  };
  return (envelope, from) => {
    queue.push(() => from.respond(envelope, { type: 't.Got', payload: envelope.payload }));
    if (queue.length === 1) setImmediate(next);
  };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('answers to one inbound frame', () => {
  it('share one write when they are ready one turn apart', async () => {
    const { connection, written } = wire(oneAnswerPerTurn());
    const requests = Array.from({ length: 12 }, (_, i) => request(i));
    connection.onFrame(frameOf(requests));
    await turns(20);
    expect(written).toEqual([requests.map((r) => r.correlationId)]);
  });

  it('do not wait for an answer that waits for I/O', async () => {
    let slowAnswer: (() => void) | undefined;
    const perTurn = oneAnswerPerTurn();
    const { connection, written } = wire((envelope, from) => {
      if (envelope.correlationId === 'c-0') {
        slowAnswer = () => from.respond(envelope, { type: 't.Got', payload: envelope.payload });
        return undefined;
      }
      return perTurn(envelope, from);
    });
    connection.onFrame(frameOf(Array.from({ length: 4 }, (_, i) => request(i))));
    await turns(10);
    expect(written).toEqual([['c-1', 'c-2', 'c-3']]);
    slowAnswer?.();
    await turns(2);
    expect(written).toEqual([['c-1', 'c-2', 'c-3'], ['c-0']]);
  });

  it('are held a bounded number of turns: a long run goes out in several writes, in order', async () => {
    const { connection, written } = wire(oneAnswerPerTurn());
    const requests = Array.from({ length: 100 }, (_, i) => request(i));
    connection.onFrame(frameOf(requests));
    await turns(120);
    expect(written.flat()).toEqual(requests.map((r) => r.correlationId));
    expect(written.length).toBeGreaterThan(1);
    expect(Math.max(...written.map((f) => f.length))).toBeLessThanOrEqual(33);
  });

  it('are not held past the time bound', async () => {
    const { connection, written } = wire(oneAnswerPerTurn(), 0);
    const requests = Array.from({ length: 6 }, (_, i) => request(i));
    connection.onFrame(frameOf(requests));
    await turns(10);
    expect(written.flat()).toEqual(requests.map((r) => r.correlationId));
    expect(written.length).toBeGreaterThan(1);
  });

  it('answered at once (in deliver) go out in one write without waiting a turn', async () => {
    const { connection, written } = wire((envelope, from) =>
      from.respond(envelope, { type: 't.Got', payload: envelope.payload }),
    );
    connection.onFrame(frameOf(Array.from({ length: 5 }, (_, i) => request(i))));
    await turns(1);
    expect(written).toEqual([['c-0', 'c-1', 'c-2', 'c-3', 'c-4']]);
  });
});
