import { ReplyTo } from '../../actors/kernel/index.ts';
import type { ActorSystem } from '../../actors/kernel/index.ts';
import { FailedPreconditionError, UnavailableError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { newCorrelationId } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { parseIdentity } from '../identity.ts';
import type { Identity } from '../identity.ts';
import type { KindRegistry } from '../kinds.ts';
import type { Member } from '../membership/member.ts';
import type { MembershipProvider } from '../membership/membership-provider.ts';
import type { RendezvousPlacement } from '../placement/rendezvous.ts';
import type { RemoteTransport } from '../remote/index.ts';
import type { ClusterNodeMetrics } from './cluster-node-metrics.ts';
import { envelopeOf } from './envelopes.ts';
import type { InboundContext } from './inbound-delivery.ts';
import type { KindImplementations } from './kind-implementations.ts';
import type { LocalActors } from './local-actors.ts';
import type { PeerLinks } from './peer-links.ts';

export interface ClusterSendOptions {
  readonly correlationId?: string;
}

export interface ClusterRequestOptions extends ClusterSendOptions {
  /** Default: the node's `defaultTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** A request's reply address on the sending node: the receiving node makes the real one. */
const REMOTE_REPLY_SYSTEM = 'remote';

export interface ClusterRouterOptions {
  readonly nodeId: string;
  readonly kinds: KindRegistry;
  readonly implementations: KindImplementations;
  readonly system: ActorSystem;
  readonly locals: LocalActors;
  readonly membership: MembershipProvider;
  readonly placement: RendezvousPlacement;
  readonly transport: RemoteTransport | undefined;
  readonly peers: PeerLinks | undefined;
  /** Takes a one-way message whose owner is not reachable now (the re-router). */
  readonly handBack: (envelope: Envelope, reason: NinjaError) => void;
  readonly defaultTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: ClusterNodeMetrics;
}

/**
 * Routes messages and requests to an identity's owner in this node's view: its local actor
 * (activated on first message) or the owner's transport link; and delivers what peers send here.
 */
export class ClusterRouter {
  private inboundContext: InboundContext | undefined;

  constructor(private readonly options: ClusterRouterOptions) {}

  /** Fire-and-forget to an identity, wherever it lives. Throws for a bad identity or when no member can host it. */
  send<Msg>(target: Identity | string, message: Msg, options: ClusterSendOptions = {}): void {
    const id = this.identityOf(target);
    const kind = this.options.implementations.require(id.kind);
    const correlationId = options.correlationId ?? newCorrelationId();
    const owner = this.remoteOwner(id);
    if (owner === undefined) {
      this.options.metrics.routed.inc({ target: 'local', op: 'send' });
      this.sendLocal(id, message, correlationId);
      return;
    }
    this.options.metrics.routed.inc({ target: 'remote', op: 'send' });
    const { type, payload } = kind.codec.encodeMessage(message);
    this.sendRemote(
      owner.nodeId,
      envelopeOf(id, this.options.nodeId, type, payload, correlationId, EnvelopeKind.ENVELOPE_KIND_MESSAGE),
    );
  }

  /** See `ClusterNode.request`. */
  async request<Reply, Msg>(
    target: Identity | string,
    build: (replyTo: ReplyTo<Reply>) => Msg,
    options: ClusterRequestOptions = {},
  ): Promise<Reply> {
    const id = this.identityOf(target);
    const kind = this.options.implementations.require(id.kind);
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const correlationId = options.correlationId ?? newCorrelationId();
    const owner = this.remoteOwner(id);
    if (owner === undefined) {
      this.options.metrics.routed.inc({ target: 'local', op: 'request' });
      const deadlineAt = Date.now() + timeoutMs;
      const ref = await this.options.locals.ensure(id, deadlineAt, correlationId);
      return this.options.system.request<Reply, unknown>(ref, build, {
        timeoutMs: Math.max(1, deadlineAt - Date.now()),
        correlationId,
      });
    }
    this.options.metrics.routed.inc({ target: 'remote', op: 'request' });
    const { type, payload } = kind.codec.encodeMessage(
      build(new ReplyTo<Reply>(REMOTE_REPLY_SYSTEM, 0, correlationId)),
    );
    const transport = this.requireTransport();
    this.options.peers?.follow(owner, this.options.nodeId);
    // The caller's correlation id is not unique per request (one call may fan out several requests
    // under it, concurrently or again later): it travels as the trace id, and the transport gives
    // the request an id of its own to match the answer with.
    const envelope = envelopeOf(
      id,
      this.options.nodeId,
      type,
      payload,
      '',
      EnvelopeKind.ENVELOPE_KIND_REQUEST,
    );
    envelope.traceId = correlationId;
    const response = await transport.request(owner.nodeId, envelope, { timeoutMs });
    return kind.codec.decodeReply(response.type, response.payload) as Reply;
  }

  /** The member that hosts `target` now (by this node's view), or undefined when none can. */
  ownerOf(target: Identity | string): Member | undefined {
    return this.options.placement.ownerOf(this.identityOf(target), this.options.membership.members());
  }

  /** Sends an encoded envelope to `nodeId`, connecting to it first when it is a known member. */
  sendRemote(nodeId: string, envelope: Envelope): void {
    const member = this.options.membership.members().find((m) => m.nodeId === nodeId);
    if (member !== undefined) this.options.peers?.follow(member, this.options.nodeId);
    this.requireTransport().send(nodeId, envelope);
  }

  /** Decodes a one-way envelope for `id` and sends it to the local actor. */
  deliverLocalMessage(envelope: Envelope, id: Identity): void {
    const kind = this.options.implementations.require(id.kind);
    this.sendLocal(
      id,
      kind.codec.decodeMessage(envelope.type, envelope.payload, undefined),
      envelope.correlationId,
    );
  }

  /** What `deliverInbound` needs to deliver a peer's envelope here. */
  inbound(): InboundContext {
    const { nodeId, kinds, system, defaultTimeoutMs, locals, implementations } = this.options;
    this.inboundContext ??= {
      nodeId,
      kinds,
      system,
      defaultTimeoutMs,
      hosts: (identityText) => locals.has(identityText),
      ownerOf: (id) => this.ownerOf(id),
      implementation: (kind) => implementations.require(kind),
      ensure: (id, deadlineAt, correlationId) => locals.ensure(id, deadlineAt, correlationId),
      sendLocal: (id, message, correlationId) => this.sendLocal(id, message, correlationId),
      park: (envelope, reason) => this.options.handBack(envelope, reason),
    };
    return this.inboundContext;
  }

  private sendLocal(id: Identity, message: unknown, correlationId: string): void {
    this.options.locals
      .ensure(id, Date.now() + this.options.defaultTimeoutMs, correlationId)
      .then((ref) => this.options.system.send(ref, message, { correlationId }))
      .catch((error: unknown) => {
        this.options.logger.warn(
          { err: error, identity: id.text, correlationId },
          'message not delivered to the local actor',
        );
      });
  }

  private identityOf(target: Identity | string): Identity {
    return this.options.kinds.validate(typeof target === 'string' ? parseIdentity(target) : target);
  }

  /**
   * The member to send to, or undefined for this node: this node when it hosts a live activation of
   * `id` (holding the activation makes it the owner whatever placement now says: while this node
   * drains, its order managers' last fills still reach its portfolios, which passivate after them;
   * inbound delivery prefers a local activation the same way), else placement's owner.
   */
  private remoteOwner(id: Identity): Member | undefined {
    if (this.options.locals.has(id.text)) return undefined;
    const owner = this.requireOwner(id);
    return owner.nodeId === this.options.nodeId ? undefined : owner;
  }

  private requireOwner(id: Identity): Member {
    const owner = this.ownerOf(id);
    if (owner !== undefined) return owner;
    const roles = this.options.kinds.require(id.kind).roles.join(', ');
    throw new UnavailableError(`no live member can host ${id.text} (roles ${roles})`, {
      details: { identity: id.text },
    });
  }

  private requireTransport(): RemoteTransport {
    if (this.options.transport === undefined) {
      throw new FailedPreconditionError('this node has no cluster transport');
    }
    return this.options.transport;
  }
}
