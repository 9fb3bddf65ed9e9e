import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClusterNode } from '../../../cluster/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { EnvelopeKind } from '../../../proto/index.ts';
import type { Envelope } from '../../../proto/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';
import type { ActivationSpan } from './cluster-node-harness.ts';
import { TEST_COUNTER_KIND, get, increment } from './fixtures/test-counter-kind.ts';

/**
 * Bad input from a peer, over the real mutual-TLS transport, straight into the receiving node's
 * delivery: each is answered with a clear error, and both nodes keep serving.
 */
describe('bad input between two cluster nodes', () => {
  let database: TestDatabase;
  let certs: { dir: string; remove: () => Promise<void> };
  let sender: ClusterNode;
  let receiver: ClusterNode;
  const receiverMetrics = new MetricsRegistry();
  const spans: ActivationSpan[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 5 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-bad-input-');
    const clusterName = uniqueClusterName();
    const common = {
      endpoints: inject('etcdEndpoints'),
      clusterName,
      certDir: certs.dir,
      pool: database.pool,
      spans,
    };
    // The sender hosts nothing (gateway role): every test-counter identity lives on the receiver.
    sender = await startTestClusterNode({ ...common, nodeId: 'b1', roles: ['gateway'] });
    receiver = await startTestClusterNode({
      ...common,
      nodeId: 'b2',
      roles: ['trading'],
      metrics: receiverMetrics,
      maxEnvelopeBytes: 64 * 1024,
    });
    await eventually(
      () => sender.membership.members().length === 2 && receiver.membership.members().length === 2,
      10_000,
      'two members',
    );
    // Connected, and the counter answers across the transport.
    expect((await sender.request(`${TEST_COUNTER_KIND}/ok`, increment(1), { timeoutMs: 10_000 })).value).toBe(
      1,
    );
  });

  afterAll(async () => {
    await Promise.all([sender.stop(), receiver.stop()]);
    await database.drop();
    await certs.remove();
  });

  const raw = (fields: Partial<Envelope>): Envelope => ({
    target: `${TEST_COUNTER_KIND}/raw`,
    sender: 'b1',
    type: 'get',
    payload: Buffer.from(JSON.stringify({ type: 'get' })),
    correlationId: `bad-${String(Math.random()).slice(2)}`,
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
    error: undefined,
    ...fields,
  });
  const requestRaw = (fields: Partial<Envelope>): Promise<Envelope> => {
    const transport = sender.transport;
    if (transport === undefined) throw new Error('the sender has no transport');
    return transport.request('b2', raw(fields), { timeoutMs: 5_000 });
  };

  it('an unknown identity kind: INVALID_ARGUMENT naming the kind and the known ones', async () => {
    const reply = requestRaw({ target: 'nope/x' });
    await expect(reply).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(reply).rejects.toThrow(/unknown kind "nope"; known kinds: .*test-counter/);
    await expect(requestRaw({ target: `${TEST_COUNTER_KIND}/a/b` })).rejects.toThrow(/segment/);
  });

  it('a kind the receiver knows but does not implement: FAILED_PRECONDITION', async () => {
    await expect(requestRaw({ target: 'venue/binanceus' })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/kind venue has no implementation registered on node b2/) as unknown,
    });
  });

  it('an unknown message type or a malformed payload: INVALID_ARGUMENT', async () => {
    await expect(requestRaw({ type: 'bogus' })).rejects.toThrow(/unknown message type "bogus"/);
    await expect(requestRaw({ payload: Buffer.from('{not json') })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/envelope.payload: is not JSON/) as unknown,
    });
  });

  it('an oversized envelope: refused by the receiver with the limit named', async () => {
    const big = requestRaw({ payload: Buffer.alloc(100 * 1024, 0x20) });
    await expect(big).rejects.toThrow(/the limit is 65536 bytes/);
  });

  it('an expired deadline: DEADLINE_EXCEEDED, and the identity is not even activated', async () => {
    const late = requestRaw({
      target: `${TEST_COUNTER_KIND}/late`,
      deadlineUnixMs: BigInt(Date.now() - 1_000),
    });
    await expect(late).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(receiver.localIdentities().map((id) => id.text)).not.toContain(`${TEST_COUNTER_KIND}/late`);
  });

  it('one-way messages with bad input are dropped and counted, and both nodes still answer', async () => {
    const transport = sender.transport;
    if (transport === undefined) throw new Error('the sender has no transport');
    transport.send('b2', raw({ target: 'nope/y', kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE }));
    transport.send('b2', raw({ type: 'bogus', kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE }));
    expect((await sender.request(`${TEST_COUNTER_KIND}/ok`, get, { timeoutMs: 10_000 })).value).toBe(1);
    expect(
      (await receiver.request(`${TEST_COUNTER_KIND}/ok`, increment(1), { timeoutMs: 10_000 })).value,
    ).toBe(2);
    const rejected = await receiverMetrics.registry.getSingleMetricAsString(
      'ninja_remote_rejected_envelopes_total',
    );
    expect(rejected).toMatch(/reason="oversized"} [1-9]/);
    expect(rejected).toMatch(/reason="delivery-failed"} 2\b/);
  });
});
