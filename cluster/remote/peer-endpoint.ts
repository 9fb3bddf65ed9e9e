import { Client, Metadata, status } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions, ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import { UnavailableError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { Backoff } from './backoff.ts';
import { Connection } from './connection.ts';
import type { ConnectionHost } from './connection.ts';
import { HandshakeRejectedError } from './errors.ts';
import { decodeFrame, encodeHelloFrame } from './frame-codec.ts';
import { handshakeProblem } from './handshake.ts';
import { PROTOCOL_VERSION, grpcChannelOptions } from './remote-transport-options.ts';
import type { ResolvedRemoteOptions } from './remote-transport-options.ts';
import { CONNECT_PATH, passThrough } from './transport-service.ts';
import { StreamWriter } from './stream-writer.ts';

export interface EndpointHost extends ConnectionHost {
  readonly clusterName: string;
  /** Credentials and channel options to dial a peer's address (cluster/tls/dial.ts). */
  dial(address: string): { readonly credentials: ChannelCredentials; readonly options: ChannelOptions };
  readonly options: ResolvedRemoteOptions;
  undeliverable(envelope: Envelope, reason: NinjaError): void;
}

export const EndpointState = {
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  BACKOFF: 'backoff',
  CLOSED: 'closed',
} as const;
export type EndpointState = (typeof EndpointState)[keyof typeof EndpointState];

type Duplex = ClientDuplexStream<Buffer, Buffer>;

/**
 * The endpoint of one peer: dials its Connect stream, says hello, then lets the writer batch into
 * it and the connection read from it. When the stream ends or an attempt fails, everything queued
 * and in flight is handed back (messages to onUndeliverable, requests fail UNAVAILABLE) and it
 * redials with exponential backoff and jitter until closed.
 */
export class PeerEndpoint {
  state: EndpointState = EndpointState.CONNECTING;
  readonly writer: StreamWriter;
  private readonly client: Client;
  private readonly backoff: Backoff;
  private call: Duplex | undefined;
  private connection: Connection | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private firstAttempt: { resolve: () => void; reject: (error: NinjaError) => void } | undefined;
  private streamEnded: (() => void) | undefined;
  private readonly depth;

  constructor(
    private readonly host: EndpointHost,
    readonly peerNodeId: string,
    readonly address: string,
  ) {
    const options = host.options;
    this.depth = host.metrics.queueDepth.labels({ peer: peerNodeId });
    const sent = host.metrics.messagesSent.labels({ peer: peerNodeId });
    const batches = host.metrics.batchSize;
    this.writer = new StreamWriter({
      capacity: options.queueCapacity,
      maxBatchEnvelopes: options.maxBatchEnvelopes,
      maxBatchBytes: options.maxBatchBytes,
      flushScheduling: options.flushScheduling,
      ...(host.frameTap === undefined ? {} : { tap: host.frameTap }),
      onBatch: (count) => {
        batches.observe('out', count);
        sent.inc(count);
        this.depth.set(this.writer.length);
      },
    });
    this.backoff = new Backoff(options.reconnect);
    const dial = host.dial(address);
    this.client = new Client(address, dial.credentials, { ...grpcChannelOptions(options), ...dial.options });
  }

  /** Starts dialing; settles with the outcome of the first attempt (later attempts continue regardless). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.firstAttempt = { resolve, reject };
      this.dial();
    });
  }

  /** Queues an envelope (`body` from measureEnvelope); false when the queue is full. */
  offer(envelope: Envelope, body: number): boolean {
    return this.writer.offer(envelope, body);
  }

  /** Flushes, half-closes the stream and waits (up to `deadlineMs`) for the peer to finish it. */
  async close(deadlineMs: number, reason: string): Promise<void> {
    if (this.state === EndpointState.CLOSED) return;
    const wasConnected = this.state === EndpointState.CONNECTED;
    this.state = EndpointState.CLOSED;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const call = this.call;
    if (call !== undefined && wasConnected) {
      const ended = new Promise<void>((resolve) => {
        this.streamEnded = resolve;
      });
      const until = Date.now() + deadlineMs;
      this.writer.flush();
      while (Date.now() < until && (!this.writer.idle || call.writableLength > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      call.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ended,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, until - Date.now()));
        }),
      ]);
      clearTimeout(timer);
    }
    if (this.call !== undefined) {
      this.call.cancel();
      this.lost(
        this.call,
        'closed',
        new UnavailableError(`the connection to ${this.peerNodeId} was closed: ${reason}`),
      );
    }
    this.handBack(new UnavailableError(`the connection to ${this.peerNodeId} was closed: ${reason}`));
    this.client.close();
  }

  private dial(): void {
    const host = this.host;
    this.state = EndpointState.CONNECTING;
    const call = this.client.makeBidiStreamRequest(
      CONNECT_PATH,
      passThrough,
      passThrough,
      new Metadata(),
      {},
    );
    this.call = call;
    let established = false;
    const handshakeTimer = setTimeout(() => {
      this.lost(
        call,
        'handshake-timeout',
        new UnavailableError(
          `no welcome from ${this.peerNodeId} at ${this.address} within ${String(host.options.handshakeTimeoutMs)} ms`,
        ),
      );
      call.cancel();
    }, host.options.handshakeTimeoutMs);
    call.on('data', (frame: Buffer) => {
      if (established) {
        this.connection?.onFrame(frame);
        return;
      }
      const refusal = this.checkWelcome(frame);
      clearTimeout(handshakeTimer);
      if (refusal !== undefined) {
        this.lost(call, 'handshake', refusal);
        call.cancel();
        return;
      }
      established = true;
      this.established(call);
    });
    call.on('error', (error: ServiceError) => {
      clearTimeout(handshakeTimer);
      this.lost(call, established ? 'error' : 'connect', this.describe(error));
    });
    call.on('end', () => {
      clearTimeout(handshakeTimer);
      this.lost(
        call,
        'closed',
        new UnavailableError(`${this.peerNodeId} at ${this.address} closed the stream`),
      );
    });
    call.write(
      encodeHelloFrame({
        nodeId: host.nodeId,
        clusterName: host.clusterName,
        protocolVersion: PROTOCOL_VERSION,
      }),
    );
  }

  private checkWelcome(frame: Buffer): NinjaError | undefined {
    let decoded;
    try {
      decoded = decodeFrame(frame);
    } catch (error) {
      return new HandshakeRejectedError(`${this.peerNodeId} answered the hello with a malformed frame`, {
        cause: error,
      });
    }
    if (decoded.frame !== 'handshake') {
      return new HandshakeRejectedError(`${this.peerNodeId} sent a batch before its welcome`);
    }
    const problem = handshakeProblem(decoded.handshake, {
      clusterName: this.host.clusterName,
      protocolVersion: PROTOCOL_VERSION,
      nodeId: this.peerNodeId,
    });
    if (problem === undefined) return undefined;
    this.host.metrics.handshakeRejections.inc({ reason: problem.reason });
    return new HandshakeRejectedError(`refused the welcome of ${this.address}: ${problem.message}`);
  }

  private describe(error: ServiceError): NinjaError {
    const details = { peerNodeId: this.peerNodeId, address: this.address, grpcCode: error.code };
    if (error.code === status.FAILED_PRECONDITION) {
      return new HandshakeRejectedError(
        `${this.peerNodeId} at ${this.address} refused the hello: ${error.details}`,
        { cause: error, details },
      );
    }
    return new UnavailableError(
      `the stream to ${this.peerNodeId} at ${this.address} failed: ${error.details || error.message}`,
      { cause: error, details },
    );
  }

  private established(call: Duplex): void {
    if (this.call !== call) return;
    if (this.state === EndpointState.CLOSED) return;
    this.state = EndpointState.CONNECTED;
    this.backoff.reset();
    this.connection = new Connection(this.host, this.peerNodeId, this.writer);
    this.writer.attach(call);
    this.host.logger.info(
      { peerNodeId: this.peerNodeId, address: this.address },
      'cluster stream to peer established',
    );
    this.firstAttempt?.resolve();
    this.firstAttempt = undefined;
  }

  /** The end of one stream (or attempt): hand everything back once, then redial unless closed. */
  private lost(call: Duplex, reason: string, error: NinjaError): void {
    if (this.call !== call) return;
    this.call = undefined;
    if (this.connection !== undefined) this.connection.closed = true;
    this.connection = undefined;
    this.streamEnded?.();
    this.streamEnded = undefined;
    const closing = this.state === EndpointState.CLOSED;
    if (!closing) {
      this.host.metrics.streamErrors.inc({ peer: this.peerNodeId, reason });
      this.host.logger.warn(
        { err: error, peerNodeId: this.peerNodeId, address: this.address, reason },
        'cluster stream to peer lost',
      );
    }
    this.handBack(error);
    this.firstAttempt?.reject(error);
    this.firstAttempt = undefined;
    if (!closing) this.scheduleRedial();
  }

  /** Queued messages to onUndeliverable; every pending request to this peer fails UNAVAILABLE. */
  private handBack(error: NinjaError): void {
    const host = this.host;
    const leftovers = this.writer.detach();
    this.depth.set(0);
    for (const envelope of leftovers) {
      const kind = envelope.kind;
      if (kind === EnvelopeKind.ENVELOPE_KIND_MESSAGE) host.undeliverable(envelope, error);
      else if (kind !== EnvelopeKind.ENVELOPE_KIND_REQUEST)
        host.metrics.rejectedEnvelopes.inc({ reason: 'answer-stream-closed' });
    }
    host.pending.failPeer(
      this.peerNodeId,
      (correlationId) =>
        new UnavailableError(
          `${this.peerNodeId} is unavailable (${error.message}); the request may or may not have been processed`,
          { cause: error, details: { peerNodeId: this.peerNodeId, correlationId } },
        ),
    );
  }

  private scheduleRedial(): void {
    this.state = EndpointState.BACKOFF;
    const delay = this.backoff.next();
    this.host.metrics.reconnects.inc({ peer: this.peerNodeId });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === EndpointState.BACKOFF) this.dial();
    }, delay);
  }
}
