import { Client, Metadata, credentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceExhaustedError, UnavailableError } from '../../../domain/errors.ts';
import { ConnectRequest, EnvelopeKind } from '../../../proto/index.ts';
import {
  EnvelopeTooLargeError,
  HandshakeRejectedError,
  PROTOCOL_VERSION,
  clusterTransportServiceDefinition,
} from '../../../cluster/remote/index.ts';
import { createDevelopmentCa, issueNodeCertificate, loadOrCreateCa } from '../../../cluster/tls/index.ts';
import type { TestNode } from './remote-harness.ts';
import { envelope, metricValue, startNode, tempCertDir, waitFor } from './remote-harness.ts';

const CONNECT = clusterTransportServiceDefinition.connect?.path ?? '';
const raw = (frame: Buffer): Buffer => frame;

/** Opens a raw Connect stream with the given credentials; resolves with the first response frame or the error. */
function rawConnect(
  address: string,
  creds: ReturnType<typeof credentials.createSsl>,
  frames: Buffer[],
): Promise<{ data?: Buffer; error?: ServiceError }> {
  const client = new Client(address, creds);
  const call = client.makeBidiStreamRequest(CONNECT, raw, raw, new Metadata(), {
    deadline: Date.now() + 3000,
  });
  return new Promise((resolve) => {
    call.on('data', (data: Buffer) => {
      resolve({ data });
      call.cancel();
      client.close();
    });
    call.on('error', (error: ServiceError) => {
      resolve({ error });
      client.close();
    });
    for (const frame of frames) call.write(frame);
  });
}

describe('remote transport failure modes', () => {
  let certs: { dir: string; remove: () => Promise<void> };
  const nodes: TestNode[] = [];
  beforeEach(async () => {
    certs = await tempCertDir();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.transport.stop()));
    await certs.remove();
  });
  async function node(nodeId: string, options: Parameters<typeof startNode>[2] = {}): Promise<TestNode> {
    const started = await startNode(certs.dir, nodeId, options);
    nodes.push(started);
    return started;
  }

  it('refuses sends past the outbound queue capacity with an overload error', async () => {
    const a = await node('node-a', { transport: { queueCapacity: 100 } });
    const b = await node('node-b');
    await a.transport.connect('node-b', b.address);
    let overload: unknown;
    try {
      for (let i = 0; i < 101; i += 1) a.transport.send('node-b', envelope());
    } catch (error) {
      overload = error;
    }
    expect(overload).toBeInstanceOf(ResourceExhaustedError);
    expect((overload as Error).message).toBe('overload');
    await expect(a.transport.request('node-b', envelope())).rejects.toBeInstanceOf(ResourceExhaustedError);
    expect(await metricValue(a.metrics, 'ninja_remote_overload_rejections_total')).toBe(2);
  });

  it('refuses oversized envelopes on send and on receive', async () => {
    const a = await node('node-a', { transport: { maxEnvelopeBytes: 64 * 1024 } });
    const b = await node('node-b', { transport: { maxEnvelopeBytes: 1024 } });
    await a.transport.connect('node-b', b.address);
    expect(() => a.transport.send('node-b', envelope({ payload: Buffer.alloc(65 * 1024) }))).toThrow(
      EnvelopeTooLargeError,
    );
    const refused = a.transport.request('node-b', envelope({ payload: Buffer.alloc(2048) }));
    await expect(refused).rejects.toThrow(/bytes encoded; the limit is 1024 bytes/);
    expect(
      await metricValue(b.metrics, 'ninja_remote_rejected_envelopes_total', { reason: 'oversized' }),
    ).toBe(1);
  });

  it('fails pending requests fast with UNAVAILABLE and hands queued messages back when the peer stops; reconnects when it returns', async () => {
    const a = await node('node-a');
    const b = await startNode(certs.dir, 'node-b', { deliver: () => undefined });
    const address = b.address;
    await a.transport.connect('node-b', address);
    const pending = a.transport.request('node-b', envelope({ correlationId: 'in-flight' }), {
      timeoutMs: 10_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    const stopped = Date.now();
    await b.transport.stop();
    expect(await outcome).toBeInstanceOf(UnavailableError);
    expect(Date.now() - stopped).toBeLessThan(2000);

    // Messages sent while the peer is away go back to onUndeliverable, never silently dropped.
    await waitFor(() => a.transport.peers()[0]?.state !== 'connected', 2000, 'endpoint to notice');
    a.transport.send('node-b', envelope({ correlationId: 'queued-1' }));
    await waitFor(
      () => a.undeliverable.some((u) => u.envelope.correlationId === 'queued-1'),
      3000,
      'undeliverable',
    );
    expect(a.undeliverable.find((u) => u.envelope.correlationId === 'queued-1')?.reason).toBeInstanceOf(
      UnavailableError,
    );

    await node('node-b', { listen: address });
    await waitFor(() => a.transport.peers()[0]?.state === 'connected', 5000, 'reconnect');
    const answer = await a.transport.request('node-b', envelope({ payload: Buffer.from('back') }));
    expect(answer.payload.toString()).toBe('back');
    expect(await metricValue(a.metrics, 'ninja_remote_reconnects_total')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a client without a certificate and one with a certificate from another CA', async () => {
    const b = await node('node-b');
    const hello = Buffer.from(
      ConnectRequest.encode({
        hello: { nodeId: 'intruder', clusterName: 'test-cluster', protocolVersion: PROTOCOL_VERSION },
      }).finish(),
    );
    const noCert = await rawConnect(b.address, credentials.createSsl(Buffer.from(b.tls.caPem)), [hello]);
    expect(noCert.data).toBeUndefined();
    expect(noCert.error).toBeDefined();

    const otherCa = await createDevelopmentCa({ commonName: 'other' });
    const forged = await issueNodeCertificate(otherCa, 'node-x');
    const wrongCa = await rawConnect(
      b.address,
      credentials.createSsl(
        Buffer.from(b.tls.caPem),
        Buffer.from(forged.privateKeyPem),
        Buffer.from(forged.certificatePem),
      ),
      [hello],
    );
    expect(wrongCa.data).toBeUndefined();
    expect(wrongCa.error).toBeDefined();
    await waitFor(
      async () => (await metricValue(b.metrics, 'ninja_remote_tls_rejections_total')) >= 2,
      3000,
      'tls rejections counted',
    );
  });

  it('dials a peer by IP without an IP as TLS server name, and still requires its certificate to name that IP', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? warning.name);
    process.on('warning', onWarning);
    try {
      const a = await node('node-a');
      const b = await node('node-b');
      await a.transport.connect('node-b', b.address);
      const answer = await a.transport.request(
        'node-b',
        envelope({ kind: EnvelopeKind.ENVELOPE_KIND_REQUEST }),
      );
      expect(Buffer.from(answer.payload).toString()).toBe('hello');

      // A certificate of the cluster's CA that names only "localhost": refused at 127.0.0.1, taken at localhost.
      const ca = await loadOrCreateCa(certs.dir);
      const named = await issueNodeCertificate(ca, 'node-c', { hosts: ['localhost'] });
      const c = await node('node-c', {
        tls: {
          nodeId: 'node-c',
          caPem: ca.certificatePem,
          certificatePem: named.certificatePem,
          privateKeyPem: named.privateKeyPem,
        },
      });
      await expect(a.transport.connect('node-c', c.address)).rejects.toThrow();
      const port = c.address.slice(c.address.lastIndexOf(':') + 1);
      const d = await node('node-d');
      await d.transport.connect('node-c', `localhost:${port}`);
      expect(warnings).not.toContain('DEP0123');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a mismatched cluster name at handshake, and a hello whose node id is not its certificate', async () => {
    const a = await node('node-a', { clusterName: 'other-cluster' });
    const b = await node('node-b');
    const refused = a.transport.connect('node-b', b.address);
    await expect(refused).rejects.toBeInstanceOf(HandshakeRejectedError);
    await expect(refused).rejects.toThrow(/cluster name mismatch/);
    await a.transport.disconnect('node-b');
    expect(
      await metricValue(b.metrics, 'ninja_remote_handshake_rejections_total', { reason: 'cluster' }),
    ).toBeGreaterThanOrEqual(1);

    const impostor = Buffer.from(
      ConnectRequest.encode({
        hello: { nodeId: 'node-z', clusterName: 'test-cluster', protocolVersion: PROTOCOL_VERSION },
      }).finish(),
    );
    const result = await rawConnect(
      b.address,
      credentials.createSsl(
        Buffer.from(a.tls.caPem),
        Buffer.from(a.tls.privateKeyPem),
        Buffer.from(a.tls.certificatePem),
      ),
      [impostor],
    );
    expect(result.error?.details).toMatch(/client certificate is for "node-a"/);
  });

  it('survives malformed batch bytes and keeps serving', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const hello = Buffer.from(
      ConnectRequest.encode({
        hello: { nodeId: 'node-a', clusterName: 'test-cluster', protocolVersion: PROTOCOL_VERSION },
      }).finish(),
    );
    const garbage = [
      Buffer.from([0x12, 0x05, 0x0a, 0xff, 0xff]),
      Buffer.from([0xff, 0xff, 0xff]),
      Buffer.from('not protobuf at all'),
    ];
    const result = await rawConnect(
      b.address,
      credentials.createSsl(
        Buffer.from(a.tls.caPem),
        Buffer.from(a.tls.privateKeyPem),
        Buffer.from(a.tls.certificatePem),
      ),
      [hello, ...garbage],
    );
    expect(result.data).toBeDefined();
    await waitFor(
      async () =>
        (await metricValue(b.metrics, 'ninja_remote_stream_errors_total', { reason: 'malformed' })) >= 1,
      3000,
      'malformed counted',
    );
    await a.transport.connect('node-b', b.address);
    const answer = await a.transport.request('node-b', envelope({ payload: Buffer.from('still-alive') }));
    expect(answer.payload.toString()).toBe('still-alive');
  });
});
