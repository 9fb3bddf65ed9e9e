import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  ResourceExhaustedError,
  UnavailableError,
  isNinjaError,
} from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { dialCredentials } from '../tls/dial.ts';
import type { DialTlsMaterial } from '../tls/dial.ts';
import { BusyPoller } from './busy-poll.ts';
import { measureEnvelope } from './envelope-codec.ts';
import { EnvelopeTooLargeError } from './errors.ts';
import type { FrameTap } from './frame-tap.ts';
import { InboundServer } from './inbound-server.ts';
import { remoteMetrics } from './metrics.ts';
import type { RemoteMetrics } from './metrics.ts';
import { PendingRequests } from './pending-requests.ts';
import { EndpointState, PeerEndpoint } from './peer-endpoint.ts';
import type { EndpointHost } from './peer-endpoint.ts';
import { resolveRemoteOptions } from './remote-transport-options.ts';
import type {
  DeliverFn,
  RemoteStartOptions,
  RemoteTransportOptions,
  ResolvedRemoteOptions,
  UndeliverableFn,
} from './remote-transport-options.ts';

export interface RequestOptions {
  /** Default: the transport's `defaultRequestTimeoutMs`. */
  readonly timeoutMs?: number;
}

export interface PeerStatus {
  readonly peerNodeId: string;
  readonly address: string;
  readonly state: EndpointState;
  readonly queued: number;
}

interface Started {
  readonly nodeId: string;
  readonly clusterName: string;
  readonly deliver: DeliverFn;
  readonly tls: DialTlsMaterial;
  readonly server: InboundServer;
  readonly address: string;
}

/**
 * The endpoint manager: owns the inbound server and one endpoint (one Connect stream) per peer.
 * `send` and `request` never block and never queue without bound: a full queue is an overload
 * error, a lost peer fails its requests with UNAVAILABLE and hands its queued messages back.
 */
export class RemoteTransport implements EndpointHost {
  readonly logger: Logger;
  readonly metrics: RemoteMetrics;
  readonly options: ResolvedRemoteOptions;
  readonly pending: PendingRequests;
  readonly maxEnvelopeBytes: number;
  readonly busyPoll: BusyPoller;
  readonly frameTap?: FrameTap;
  private readonly onUndeliverable: UndeliverableFn | undefined;
  private readonly endpoints = new Map<string, PeerEndpoint>();
  private started: Started | undefined;
  private stopping = false;

  constructor(options: RemoteTransportOptions) {
    this.logger = options.logger;
    this.metrics = remoteMetrics(options.metrics);
    this.options = resolveRemoteOptions(options);
    this.maxEnvelopeBytes = this.options.maxEnvelopeBytes;
    this.onUndeliverable = options.onUndeliverable;
    if (options.frameTap !== undefined) this.frameTap = options.frameTap;
    const latency = this.metrics.requestDuration;
    this.pending = new PendingRequests((outcome, seconds) => latency.observe(outcome, seconds));
    this.busyPoll = new BusyPoller(
      this.options.busyPoll,
      () => this.pending.size > 0,
      this.metrics.busyPollSeconds,
    );
  }

  get nodeId(): string {
    return this.state().nodeId;
  }

  get clusterName(): string {
    return this.state().clusterName;
  }

  dial(address: string): { readonly credentials: ChannelCredentials; readonly options: ChannelOptions } {
    return dialCredentials(address, this.state().tls);
  }

  get deliver(): DeliverFn {
    return this.state().deliver;
  }

  /** The `host:port` this node accepts cluster streams on. */
  get address(): string {
    return this.state().address;
  }

  async start(options: RemoteStartOptions): Promise<{ readonly address: string }> {
    if (this.started !== undefined)
      throw new FailedPreconditionError('the remote transport is already started');
    if (options.nodeId.length === 0) throw new InvalidArgumentError('nodeId', 'must not be empty');
    if (options.clusterName.length === 0) throw new InvalidArgumentError('clusterName', 'must not be empty');
    const partial = {
      nodeId: options.nodeId,
      clusterName: options.clusterName,
      deliver: options.deliver,
      tls: options.tls,
    };
    // The server's connections read these fields through `this`, so they are set before it listens.
    const server = new InboundServer(this, options.tls);
    this.started = { ...partial, server, address: '' };
    try {
      const address = await server.listen(options.listen);
      this.started = { ...partial, server, address };
      this.logger.info({ nodeId: options.nodeId, address }, 'cluster transport listening (mutual TLS)');
      return { address };
    } catch (error) {
      this.started = undefined;
      throw new UnavailableError(`cannot listen on ${options.listen}`, { cause: error });
    }
  }

  /**
   * Opens (and keeps open, redialing with backoff) the stream to `peerNodeId`. Settles with the
   * first attempt's outcome. Connecting to a peer already connected is a no-op.
   */
  connect(peerNodeId: string, address: string): Promise<void> {
    this.state();
    const existing = this.endpoints.get(peerNodeId);
    if (existing !== undefined) {
      if (existing.address === address) return Promise.resolve();
      return Promise.reject(
        new AlreadyExistsError(
          `peer ${peerNodeId} is already connected at ${existing.address}; disconnect it first`,
        ),
      );
    }
    const endpoint = new PeerEndpoint(this, peerNodeId, address);
    this.endpoints.set(peerNodeId, endpoint);
    return endpoint.start();
  }

  /**
   * Queues a one-way message. Throws UnavailableError (no such peer), EnvelopeTooLargeError, or
   * ResourceExhaustedError ('overload') when the peer's queue is full.
   */
  send(peerNodeId: string, envelope: Envelope): void {
    const message =
      envelope.kind === EnvelopeKind.ENVELOPE_KIND_MESSAGE
        ? envelope
        : { ...envelope, kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE };
    this.enqueue(this.endpoint(peerNodeId), message);
  }

  /**
   * Sends a request and resolves with its RESPONSE envelope; rejects with DeadlineExceededError,
   * UnavailableError, ResourceExhaustedError, or the domain error its ERROR answer names. A
   * correlation id is generated when the envelope has none.
   */
  request(peerNodeId: string, envelope: Envelope, options: RequestOptions = {}): Promise<Envelope> {
    // Not `async`: an async wrapper around the pending promise added a promise and three microtask
    // turns to every round trip. Synchronous failures are still returned as rejections.
    let request: Envelope;
    let endpoint: PeerEndpoint;
    let timeoutMs: number;
    try {
      endpoint = this.endpoint(peerNodeId);
      timeoutMs = options.timeoutMs ?? this.options.defaultRequestTimeoutMs;
      const deadline = BigInt(Date.now() + timeoutMs);
      request = {
        ...envelope,
        kind: EnvelopeKind.ENVELOPE_KIND_REQUEST,
        correlationId:
          envelope.correlationId.length > 0 ? envelope.correlationId : this.pending.nextCorrelationId(),
        deadlineUnixMs:
          envelope.deadlineUnixMs !== 0n && envelope.deadlineUnixMs < deadline
            ? envelope.deadlineUnixMs
            : deadline,
      };
    } catch (error) {
      return Promise.reject(
        error instanceof Error ? error : new InternalError('could not build a request', { cause: error }),
      );
    }
    if (this.pending.has(request.correlationId)) {
      return Promise.reject(
        new AlreadyExistsError(`a request with correlation id ${request.correlationId} is already pending`),
      );
    }
    const answer = this.pending.add(peerNodeId, request, timeoutMs);
    try {
      this.enqueue(endpoint, request);
      this.busyPoll.requestSent();
    } catch (error) {
      this.pending.fail(
        request.correlationId,
        'unavailable',
        isNinjaError(error) ? error : new InternalError('could not queue a request', { cause: error }),
      );
    }
    return answer;
  }

  /** Closes the stream to `peerNodeId` (flushing first); its queued messages go to onUndeliverable. */
  async disconnect(peerNodeId: string): Promise<void> {
    const endpoint = this.endpoints.get(peerNodeId);
    if (endpoint === undefined) return;
    this.endpoints.delete(peerNodeId);
    await endpoint.close(this.options.stopDeadlineMs, 'disconnected');
  }

  /** Graceful stop: flush every queue (within the stop deadline), close streams, stop listening. */
  async stop(): Promise<void> {
    const started = this.started;
    if (started === undefined || this.stopping) return;
    this.stopping = true;
    const endpoints = [...this.endpoints.values()];
    this.endpoints.clear();
    await Promise.all(
      endpoints.map((endpoint) => endpoint.close(this.options.stopDeadlineMs, 'transport stopped')),
    );
    await started.server.stop(this.options.stopDeadlineMs);
    this.started = undefined;
    this.stopping = false;
    this.logger.info({ nodeId: started.nodeId }, 'cluster transport stopped');
  }

  peers(): PeerStatus[] {
    return [...this.endpoints.values()].map((endpoint) => ({
      peerNodeId: endpoint.peerNodeId,
      address: endpoint.address,
      state: endpoint.state,
      queued: endpoint.writer.length,
    }));
  }

  undeliverable(envelope: Envelope, reason: NinjaError): void {
    this.metrics.undeliverable.inc({ reason: reason.code });
    if (this.onUndeliverable === undefined) {
      this.logger.warn(
        { err: reason, correlationId: envelope.correlationId, target: envelope.target, type: envelope.type },
        'undeliverable remote message dropped: no onUndeliverable handler',
      );
      return;
    }
    try {
      this.onUndeliverable(envelope, reason);
    } catch (error) {
      this.logger.error({ err: error, correlationId: envelope.correlationId }, 'onUndeliverable threw');
    }
  }

  private state(): Started {
    if (this.started === undefined) throw new FailedPreconditionError('the remote transport is not started');
    return this.started;
  }

  private endpoint(peerNodeId: string): PeerEndpoint {
    const endpoint = this.endpoints.get(peerNodeId);
    if (endpoint === undefined || endpoint.state === EndpointState.CLOSED) {
      throw new UnavailableError(`no connection to peer ${peerNodeId}; connect it first`, {
        details: { peerNodeId },
      });
    }
    return endpoint;
  }

  private enqueue(endpoint: PeerEndpoint, envelope: Envelope): void {
    const body = measureEnvelope(envelope);
    if (body > this.maxEnvelopeBytes) {
      throw new EnvelopeTooLargeError(body, this.maxEnvelopeBytes, {
        details: {
          peerNodeId: endpoint.peerNodeId,
          correlationId: envelope.correlationId,
          type: envelope.type,
        },
      });
    }
    if (!endpoint.offer(envelope, body)) {
      this.metrics.overloadRejections.inc({ peer: endpoint.peerNodeId });
      throw new ResourceExhaustedError('overload', {
        details: {
          peerNodeId: endpoint.peerNodeId,
          queueCapacity: this.options.queueCapacity,
          correlationId: envelope.correlationId,
        },
      });
    }
  }
}
