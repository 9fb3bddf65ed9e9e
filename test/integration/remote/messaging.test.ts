import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadlineExceededError, InternalError } from '../../../domain/errors.ts';
import { EnvelopeKind } from '../../../proto/index.ts';
import type { Envelope } from '../../../proto/index.ts';
import type { TestNode } from './remote-harness.ts';
import { envelope, metricValue, startNode, tempCertDir, waitFor } from './remote-harness.ts';

describe('remote transport messaging over mutual TLS', () => {
  let certs: { dir: string; remove: () => Promise<void> };
  const nodes: TestNode[] = [];
  const received = new Map<string, Envelope[]>();

  beforeEach(async () => {
    certs = await tempCertDir();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.transport.stop()));
    await certs.remove();
  });

  async function node(nodeId: string): Promise<TestNode> {
    const list: Envelope[] = [];
    received.set(nodeId, list);
    const started = await startNode(certs.dir, nodeId, {
      deliver: (env, from) => {
        list.push(env);
        if (env.kind !== EnvelopeKind.ENVELOPE_KIND_REQUEST) return;
        if (env.type === 'test.Echo') from.respond(env, { type: 'test.EchoReply', payload: env.payload });
        else if (env.type === 'test.Slow') return;
        else from.fail(env, new InternalError(`unknown message type ${env.type}`));
      },
    });
    nodes.push(started);
    return started;
  }

  it('carries messages and requests both ways, preserving correlation and trace ids', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.transport.connect('node-b', b.address);
    await b.transport.connect('node-a', a.address);

    for (let i = 0; i < 1000; i += 1) {
      a.transport.send(
        'node-b',
        envelope({ payload: Buffer.from(`m${String(i)}`), correlationId: `c-${String(i)}` }),
      );
    }
    b.transport.send('node-a', envelope({ correlationId: 'from-b', traceId: 'trace-b' }));
    await waitFor(() => (received.get('node-b')?.length ?? 0) === 1000, 5000, '1000 messages at b');
    await waitFor(() => (received.get('node-a')?.length ?? 0) === 1, 5000, 'one message at a');
    const atB = received.get('node-b') ?? [];
    expect(atB.map((e) => e.correlationId)).toEqual(Array.from({ length: 1000 }, (_, i) => `c-${String(i)}`));
    expect(atB[7]?.payload.toString()).toBe('m7');
    expect(received.get('node-a')?.[0]).toMatchObject({ correlationId: 'from-b', traceId: 'trace-b' });

    const answer = await a.transport.request(
      'node-b',
      envelope({ correlationId: 'req-1', traceId: 't-1', payload: Buffer.from('ping') }),
      { timeoutMs: 2000 },
    );
    expect(answer).toMatchObject({
      correlationId: 'req-1',
      traceId: 't-1',
      type: 'test.EchoReply',
      kind: EnvelopeKind.ENVELOPE_KIND_RESPONSE,
    });
    expect(answer.payload.toString()).toBe('ping');
    const back = await b.transport.request('node-a', envelope({ payload: Buffer.from('pong') }));
    expect(back.payload.toString()).toBe('pong');
    expect(back.correlationId).not.toBe('');

    const many = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        a.transport.request('node-b', envelope({ payload: Buffer.from(String(i)) })),
      ),
    );
    expect(many.map((e) => e.payload.toString())).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
    expect(
      await metricValue(a.metrics, 'ninja_remote_envelopes_sent_total', { peer: 'node-b' }),
    ).toBeGreaterThanOrEqual(1501);
  });

  it('maps an ERROR answer (unknown message type) to the domain error class', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.transport.connect('node-b', b.address);
    const failure = a.transport.request('node-b', envelope({ type: 'test.Nope' }));
    await expect(failure).rejects.toBeInstanceOf(InternalError);
    await expect(failure).rejects.toThrow(/unknown message type test.Nope/);
  });

  it('times out a request with DEADLINE_EXCEEDED, and never delivers an already expired envelope', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.transport.connect('node-b', b.address);
    const started = Date.now();
    await expect(
      a.transport.request('node-b', envelope({ type: 'test.Slow' }), { timeoutMs: 100 }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1000);

    const before = received.get('node-b')?.length ?? 0;
    const expired = a.transport.request(
      'node-b',
      envelope({ correlationId: 'late', deadlineUnixMs: BigInt(Date.now() - 1000) }),
      {
        timeoutMs: 2000,
      },
    );
    await expect(expired).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(expired).rejects.toThrow(/after its deadline; not delivered/);
    a.transport.send(
      'node-b',
      envelope({ correlationId: 'late-message', deadlineUnixMs: BigInt(Date.now() - 1000) }),
    );
    await waitFor(
      async () =>
        (await metricValue(b.metrics, 'ninja_remote_rejected_envelopes_total', { reason: 'expired' })) === 2,
    );
    expect((received.get('node-b') ?? []).slice(before).map((e) => e.correlationId)).not.toContain('late');
    expect((received.get('node-b') ?? []).map((e) => e.correlationId)).not.toContain('late-message');
  });
});
