import { Client, Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { ConnectRequest, ConnectResponse, Envelope, EnvelopeKind } from '../../proto/index.ts';
import { testLogger } from '../../test/support/index.ts';
import { loadOrCreateClusterTls } from '../tls/index.ts';
import { dialCredentials } from '../tls/dial.ts';
import type { ClusterTls } from '../tls/index.ts';
import { encodeFeaturesFrame } from './frame-codec.ts';
import { RemoteTransport } from './remote-transport.ts';
import { PROTOCOL_VERSION } from './remote-transport-options.ts';
import { STRING_TABLE_ENTRIES } from './string-table.ts';
import { CONNECT_PATH } from './transport-service.ts';

// A real accepting transport on loopback, and a hand-driven dialer standing in for a peer of this
// protocol (it announces features) or of the one before it (it never does).

const raw = (frame: Buffer): Buffer => frame;

interface Dialer {
  readonly frames: Buffer[];
  readonly ended: Promise<ServiceError | undefined>;
  write(frame: Buffer): void;
  close(): void;
}

function dial(address: string, tls: ClusterTls): Dialer {
  const dialed = dialCredentials(address, tls);
  const client = new Client(address, dialed.credentials, dialed.options);
  const call = client.makeBidiStreamRequest(CONNECT_PATH, raw, raw, new Metadata(), {});
  const frames: Buffer[] = [];
  call.on('data', (frame: Buffer) => frames.push(frame));
  const ended = new Promise<ServiceError | undefined>((resolve) => {
    call.on('error', (error: ServiceError) => resolve(error));
    call.on('end', () => resolve(undefined));
  });
  return {
    frames,
    ended,
    write: (frame) => call.write(frame),
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

function hello(nodeId: string): Buffer {
  return Buffer.from(
    ConnectRequest.encode({
      hello: { nodeId, clusterName: 'test-cluster', protocolVersion: PROTOCOL_VERSION },
    }).finish(),
  );
}

function batch(envelopes: readonly Partial<Envelope>[]): Buffer {
  return Buffer.from(
    ConnectRequest.encode({ batch: { envelopes: envelopes.map((e) => Envelope.fromPartial(e)) } }).finish(),
  );
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('string tables over a real cluster stream', () => {
  let dir: string;
  let transport: RemoteTransport;
  let metrics: MetricsRegistry;
  let address: string;
  let peerTls: ClusterTls;
  const delivered: Envelope[] = [];
  const dialers: Dialer[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gekko-string-table-'));
    const tls = await loadOrCreateClusterTls(dir, 'node-b');
    peerTls = await loadOrCreateClusterTls(dir, 'node-a');
    metrics = new MetricsRegistry();
    delivered.length = 0;
    transport = new RemoteTransport({ logger: testLogger('node-b'), metrics, stopDeadlineMs: 1000 });
    ({ address } = await transport.start({
      listen: '127.0.0.1:0',
      tls,
      nodeId: 'node-b',
      clusterName: 'test-cluster',
      deliver: (envelope) => void delivered.push(envelope),
    }));
  });
  afterEach(async () => {
    for (const dialer of dialers.splice(0)) dialer.close();
    await transport.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function open(): Dialer {
    const dialer = dial(address, peerTls);
    dialers.push(dialer);
    dialer.write(hello('node-a'));
    return dialer;
  }

  const message = (fields: Partial<Envelope>): Partial<Envelope> => ({
    payload: Buffer.from('p'),
    kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    ...fields,
  });

  async function protocolErrors(): Promise<number> {
    const line = (await metrics.expose()).body
      .split('\n')
      .find((l) => l.startsWith('ninja_remote_stream_errors_total') && l.includes('reason="protocol"'));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('the acceptor announces its table after the welcome, resolves references, and ends the stream on an unknown index', async () => {
    const peer = open();
    await until(() => peer.frames.length >= 2, 'welcome and features');
    expect(ConnectResponse.decode(peer.frames[0] ?? Buffer.alloc(0)).welcome?.nodeId).toBe('node-b');
    expect(
      ConnectResponse.decode(peer.frames[1] ?? Buffer.alloc(0)).batch?.features?.stringTableEntries,
    ).toBe(STRING_TABLE_ENTRIES);
    peer.write(encodeFeaturesFrame(STRING_TABLE_ENTRIES));
    peer.write(
      batch([
        message({
          target: 'counter/a',
          targetRef: 1,
          sender: 'node-a',
          senderRef: 2,
          type: 't.Ping',
          typeRef: 3,
        }),
        message({ targetRef: 1, senderRef: 2, typeRef: 3 }),
      ]),
    );
    await until(() => delivered.length === 2, 'two deliveries');
    expect(delivered.map((e) => [e.target, e.sender, e.type])).toEqual([
      ['counter/a', 'node-a', 't.Ping'],
      ['counter/a', 'node-a', 't.Ping'],
    ]);
    peer.write(batch([message({ targetRef: 9, senderRef: 2, typeRef: 3 })]));
    const error = await peer.ended;
    expect(error?.code).toBe(status.INTERNAL);
    expect(error?.details).toMatch(/protocol error: .*string table: unknown index 9/);
    expect(await protocolErrors()).toBe(1);
    expect(delivered).toHaveLength(2);
  });

  it('a dialer that never announces (an older node) gets literals and keeps its stream through a malformed frame', async () => {
    const peer = open();
    await until(() => peer.frames.length >= 2, 'welcome and features');
    peer.write(Buffer.from([0x12, 0x05, 0x0a, 0xff, 0xff]));
    peer.write(batch([message({ target: 'counter/a', sender: 'node-a', type: 't.Ping' })]));
    await until(() => delivered.length === 1, 'a delivery');
    expect(delivered[0]?.target).toBe('counter/a');
    expect(await protocolErrors()).toBe(0);
  });
});
