import type { Etcd3 } from 'etcd3';
import { ReplyTo, createActorSystem } from '../../actors/kernel/index.ts';
import type { ActorSystem } from '../../actors/kernel/index.ts';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  UnavailableError,
} from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { newCorrelationId } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { countActivations } from '../activation/index.ts';
import type { EtcdActivationRegistry } from '../activation/etcd-activation-registry.ts';
import { parseIdentity } from '../identity.ts';
import type { Identity } from '../identity.ts';
import { defaultKindRegistry } from '../kinds.ts';
import type { KindRegistry } from '../kinds.ts';
import type { Member, MemberState } from '../membership/member.ts';
import type { MembershipEvent, MembershipProvider } from '../membership/membership-provider.ts';
import { clusterMetrics } from '../metrics.ts';
import { RendezvousPlacement } from '../placement/rendezvous.ts';
import type { RemoteTransport } from '../remote/index.ts';
import { clusterServiceOnListener } from '../service/index.ts';
import type { ClusterOperations, ClusterStatus } from '../service/index.ts';
import type { ClusterKind } from './cluster-kind.ts';
import { clusterNodeMetrics } from './cluster-node-metrics.ts';
import type { ClusterNodeMetrics } from './cluster-node-metrics.ts';
import type { ClusterNodeOptions } from './cluster-node-options.ts';
import { requestDrain } from './drain-requests.ts';
import type { DrainRequests } from './drain-requests.ts';
import { envelopeOf, sameShape } from './envelopes.ts';
import { startIdleSweep } from './idle-sweep.ts';
import { deliverInbound } from './inbound-delivery.ts';
import type { InboundContext } from './inbound-delivery.ts';
import { membershipBackend } from './membership-backend.ts';
import type { MembershipBackend } from './membership-backend.ts';
import { nodeStatus } from './node-status.ts';
import { LocalActors, PassivationReason } from './local-actors.ts';
import type { ActivationListener, LocalActivation } from './local-actors.ts';
import { PeerLinks } from './peer-links.ts';
import { Rerouter } from './rerouter.ts';
import { ServingTransport } from './serving-transport.ts';

export interface ClusterSendOptions {
  readonly correlationId?: string;
}

export interface ClusterRequestOptions extends ClusterSendOptions {
  /** Default: the node's `defaultTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** A request's reply address on the sending node: the receiving node makes the real one. */
const REMOTE_REPLY_SYSTEM = 'remote';

/**
 * One node of the cluster: its actor system, membership, placement, activations and transport.
 * Any identity is addressed from here with `send` and `request`; the node hosts the identities
 * placement gives it, activated on first message and passivated when they move.
 */
export class ClusterNode implements ClusterOperations {
  readonly nodeId: string;
  readonly kinds: KindRegistry;
  readonly system: ActorSystem;
  readonly membership: MembershipProvider;
  readonly transport: RemoteTransport | undefined;
  private readonly logger: Logger;
  private readonly metrics: ClusterNodeMetrics;
  private readonly placement: RendezvousPlacement;
  private readonly implementations = new Map<string, ClusterKind<unknown, unknown>>();
  private readonly locals: LocalActors;
  private readonly peers: PeerLinks | undefined;
  private readonly rerouter: Rerouter | undefined;
  private readonly registry: EtcdActivationRegistry | undefined;
  private readonly ownedClient: Etcd3 | undefined;
  private readonly drains: DrainRequests | undefined;
  private readonly etcd: MembershipBackend['etcd'];
  private readonly stopped: Promise<void>;
  private markStopped: () => void = () => undefined;
  private readonly listeners = new Set<ActivationListener>();
  private readonly defaultTimeoutMs: number;
  private unsubscribe: (() => void) | undefined;
  private inboundContext: InboundContext | undefined;
  private stopIdleSweep: () => void = () => undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ClusterNodeOptions) {
    this.nodeId = options.nodeId;
    this.kinds = options.kinds ?? defaultKindRegistry();
    this.placement = new RendezvousPlacement(this.kinds);
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
    const passivateTimeoutMs = options.passivateTimeoutMs ?? 5_000;
    if (!(Number.isFinite(passivateTimeoutMs) && passivateTimeoutMs > 0)) {
      throw new InvalidArgumentError(
        'passivateTimeoutMs',
        `must be a number of milliseconds > 0, got ${passivateTimeoutMs}`,
      );
    }
    this.stopped = new Promise((resolve) => {
      this.markStopped = resolve;
    });
    this.logger = options.logger.child({ component: 'cluster-node', nodeId: options.nodeId });
    this.metrics = clusterNodeMetrics(options.metrics);
    const backend = membershipBackend(options, {
      logger: this.logger,
      metrics: clusterMetrics(options.metrics),
      supplyEpoch: (identity) => this.locals.supplyEpoch(identity),
      onDrain: () => {
        this.stop().catch((error: unknown) => this.logger.error({ err: error }, 'drain failed'));
      },
    });
    this.membership = backend.membership;
    this.registry = backend.registry;
    this.drains = backend.drains;
    this.ownedClient = backend.ownedClient;
    this.etcd = backend.etcd;
    const { store, epochs } = backend;
    this.system = createActorSystem({
      name: `cluster-${options.nodeId}`,
      logger: options.logger,
      metrics: options.metrics,
      ...(options.pool === undefined ? {} : { persistence: { pool: options.pool, epochs } }),
      onEscalation: (escalation) =>
        // The actor has stopped; the next message re-activates it (with a new epoch).
        this.logger.warn(
          { identity: escalation.identity, reason: escalation.reason },
          'actor escalated to the node',
        ),
    });
    this.locals = new LocalActors({
      nodeId: options.nodeId,
      system: this.system,
      store,
      kindOf: (kind) => this.implementations.get(kind),
      logger: this.logger,
      metrics: this.metrics,
      passivateTimeoutMs,
      onActivated: (activation) => this.emit(activation, undefined),
      onPassivated: (activation, reason) => this.emit(activation, reason),
    });
    if (options.transport !== undefined) {
      const clusterService = clusterServiceOnListener({
        operations: this,
        logger: this.logger,
        metrics: options.metrics,
        ...(options.adminNames === undefined ? {} : { adminNames: options.adminNames }),
      });
      const transport = new ServingTransport(
        {
          logger: options.logger.child({ component: 'remote', nodeId: options.nodeId }),
          metrics: options.metrics,
          onUndeliverable: (envelope, reason) => this.rerouter?.handBack(envelope, reason),
          ...options.transport.options,
        },
        [clusterService],
      );
      this.transport = transport;
      this.peers = new PeerLinks(transport, this.logger);
      this.rerouter = new Rerouter({
        windowMs: options.rerouteWindowMs ?? 10_000,
        nodeId: options.nodeId,
        ownerOf: (id) => this.ownerOf(id),
        isReachable: (nodeId) => this.peers?.isConnected(nodeId) ?? false,
        deliverLocal: (envelope, id) => this.deliverLocalMessage(envelope, id),
        sendRemote: (nodeId, envelope) => this.sendRemote(nodeId, envelope),
        logger: this.logger,
        metrics: this.metrics,
      });
    }
  }

  /** This node's member record (address included) once started. */
  get self(): Member | undefined {
    return this.membership.self;
  }

  /** Identities hosted here now. */
  localIdentities(): Identity[] {
    return this.locals.identities();
  }

  /**
   * Makes a kind addressable from this node (and hostable, when this node has one of its roles).
   * Register every kind on every node, before `start`. A kind of the registry (DESIGN.md's) must
   * keep its roles and key shape.
   */
  register<State, Msg>(kind: ClusterKind<State, Msg>): this {
    if (kind.kind.name !== kind.actor.kind) {
      throw new InvalidArgumentError(
        'kind.name',
        `${kind.kind.name} differs from the actor's kind ${kind.actor.kind}`,
      );
    }
    const idle = kind.idleTimeoutMs;
    if (idle !== undefined && !(Number.isFinite(idle) && idle > 0)) {
      throw new InvalidArgumentError(
        'kind.idleTimeoutMs',
        `must be a number of milliseconds > 0, got ${idle}`,
      );
    }
    if (kind.actor.persistent && this.options.pool === undefined) {
      throw new FailedPreconditionError(
        `kind ${kind.kind.name} is persistent: give the node a database pool`,
      );
    }
    const known = this.kinds.get(kind.kind.name);
    if (known === undefined) this.kinds.register(kind.kind);
    else if (!sameShape(known, kind.kind)) {
      throw new FailedPreconditionError(
        `kind ${kind.kind.name} is registered with other roles or key segments`,
      );
    }
    this.implementations.set(kind.kind.name, kind as unknown as ClusterKind<unknown, unknown>);
    return this;
  }

  /** Calls `listener` on each local activation and passivation (tests use it to check uniqueness). */
  onActivation(listener: ActivationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    let address = 'local';
    if (this.transport !== undefined && this.options.transport !== undefined) {
      ({ address } = await this.transport.start({
        listen: this.options.transport.listen,
        tls: this.options.transport.tls,
        nodeId: this.nodeId,
        clusterName: this.options.membership.type === 'etcd' ? this.options.membership.clusterName : 'local',
        deliver: (envelope, from) => deliverInbound(this.inbound(), envelope, from),
      }));
    }
    this.unsubscribe = this.membership.subscribe((event) => this.onMembership(event));
    await this.membership.start({
      nodeId: this.nodeId,
      address,
      roles: this.options.roles,
      version: this.options.version,
    });
    for (const member of this.membership.members()) this.peers?.follow(member, this.nodeId);
    await this.drains?.start();
    this.stopIdleSweep = startIdleSweep(
      [...this.implementations.values()].flatMap((kind) =>
        kind.idleTimeoutMs === undefined ? [] : [kind.idleTimeoutMs],
      ),
      this.locals,
      this.logger,
    );
    this.logger.info(
      { address, roles: this.options.roles, kinds: [...this.implementations.keys()] },
      'cluster node started',
    );
  }

  /** Fire-and-forget to an identity, wherever it lives. Throws for a bad identity or when no member can host it. */
  send<Msg>(target: Identity | string, message: Msg, options: ClusterSendOptions = {}): void {
    const id = this.identityOf(target);
    const kind = this.implementation(id.kind);
    const correlationId = options.correlationId ?? newCorrelationId();
    const owner = this.requireOwner(id);
    if (owner.nodeId === this.nodeId) {
      this.metrics.routed.inc({ target: 'local', op: 'send' });
      this.sendLocal(id, message, correlationId);
      return;
    }
    this.metrics.routed.inc({ target: 'remote', op: 'send' });
    const { type, payload } = kind.codec.encodeMessage(message);
    this.sendRemote(
      owner.nodeId,
      envelopeOf(id, this.nodeId, type, payload, correlationId, EnvelopeKind.ENVELOPE_KIND_MESSAGE),
    );
  }

  /**
   * Sends the message `build` makes around a reply address and waits for the reply, wherever the
   * identity lives. UNAVAILABLE (retryable) when its owner is lost mid-request: it may or may not
   * have been processed; DEADLINE_EXCEEDED after `timeoutMs`.
   */
  async request<Reply, Msg>(
    target: Identity | string,
    build: (replyTo: ReplyTo<Reply>) => Msg,
    options: ClusterRequestOptions = {},
  ): Promise<Reply> {
    const id = this.identityOf(target);
    const kind = this.implementation(id.kind);
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const correlationId = options.correlationId ?? newCorrelationId();
    const owner = this.requireOwner(id);
    if (owner.nodeId === this.nodeId) {
      this.metrics.routed.inc({ target: 'local', op: 'request' });
      const deadlineAt = Date.now() + timeoutMs;
      const ref = await this.locals.ensure(id, deadlineAt, correlationId);
      return this.system.request<Reply, unknown>(ref, build, {
        timeoutMs: Math.max(1, deadlineAt - Date.now()),
        correlationId,
      });
    }
    this.metrics.routed.inc({ target: 'remote', op: 'request' });
    const { type, payload } = kind.codec.encodeMessage(
      build(new ReplyTo<Reply>(REMOTE_REPLY_SYSTEM, 0, correlationId)),
    );
    const transport = this.requireTransport();
    this.peers?.follow(owner, this.nodeId);
    const response = await transport.request(
      owner.nodeId,
      envelopeOf(id, this.nodeId, type, payload, correlationId, EnvelopeKind.ENVELOPE_KIND_REQUEST),
      { timeoutMs },
    );
    return kind.codec.decodeReply(response.type, response.payload) as Reply;
  }

  /** The member that hosts `target` now (by this node's view), or undefined when none can. */
  ownerOf(target: Identity | string): Member | undefined {
    return this.placement.ownerOf(this.identityOf(target), this.membership.members());
  }

  /** Announces a new state for this node; `draining` hands every local actor over. */
  async setState(state: MemberState): Promise<void> {
    await this.membership.setState(state);
    this.rebalance();
  }

  /** The members and the activations each holds, as this node sees them (ClusterService). */
  async status(): Promise<ClusterStatus> {
    const census =
      this.etcd === undefined ? undefined : await countActivations(this.etcd.client, this.etcd.clusterName);
    return nodeStatus({
      clusterName: this.etcd?.clusterName ?? 'local',
      nodeId: this.nodeId,
      members: this.membership.members(),
      local: this.locals.countByKind(),
      census,
    });
  }

  /**
   * Drains `nodeId`: this node stops gracefully (in the background, after answering); another
   * member gets a drain request through etcd. NOT_FOUND for a node that is not a member.
   */
  async drain(nodeId: string, correlationId: string): Promise<void> {
    if (nodeId === this.nodeId) {
      this.logger.info({ correlationId }, 'drain of this node requested');
      setImmediate(() => {
        this.stop().catch((error: unknown) =>
          this.logger.error({ err: error, correlationId }, 'drain failed'),
        );
      });
      return;
    }
    if (!this.membership.members().some((member) => member.nodeId === nodeId)) {
      throw new NotFoundError(`${nodeId} is not a member of the cluster (as ${this.nodeId} sees it)`, {
        details: { nodeId, correlationId },
      });
    }
    if (this.etcd === undefined) {
      throw new FailedPreconditionError('a cluster without etcd has no other member to drain');
    }
    await requestDrain(this.etcd.client, this.etcd.clusterName, nodeId);
    this.logger.info({ nodeId, correlationId }, 'drain request written for another member');
  }

  /** Resolves once the node has stopped, whether by `stop()` or by a drain request (`gekko cluster drain`). */
  whenStopped(): Promise<void> {
    return this.stopped;
  }

  /**
   * Graceful stop: mark draining, passivate every local actor (its passivate hook runs, bounded by
   * `passivateTimeoutMs`: a persistent actor snapshots; then its activation is given back), leave
   * the membership, stop the transport and the actor system. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const correlationId = newCorrelationId();
      this.logger.info({ actors: this.locals.size, correlationId }, 'cluster node stopping');
      if (this.membership.self !== undefined) {
        try {
          await this.membership.setState('draining');
        } catch (error) {
          this.logger.warn({ err: error, correlationId }, 'could not announce draining; leaving anyway');
        }
      }
      this.stopIdleSweep();
      await this.locals.passivateAll(PassivationReason.shutdown, correlationId);
      this.unsubscribe?.();
      await this.drains?.stop();
      await this.membership.stop();
      this.rerouter?.close();
      await this.transport?.stop();
      await this.system.shutdown();
      this.registry?.close();
      this.ownedClient?.close();
      this.logger.info({ correlationId }, 'cluster node stopped');
      this.markStopped();
    })();
    return this.stopping;
  }

  private onMembership(event: MembershipEvent): void {
    switch (event.type) {
      case 'fenced': {
        const correlationId = newCorrelationId();
        this.logger.error({ actors: this.locals.size, correlationId }, 'fenced: stopping every local actor');
        this.locals.passivateAll(PassivationReason.fenced, correlationId).catch((error: unknown) => {
          this.logger.error({ err: error, correlationId }, 'stopping local actors after a fence failed');
        });
        return;
      }
      case 'recovered':
        this.logger.info('membership recovered: identities re-activate on their next message');
        return;
      case 'member-left':
        this.peers?.forget(event.member.nodeId);
        break;
      case 'member-joined':
      case 'member-updated':
        this.peers?.follow(event.member, this.nodeId);
        break;
    }
    this.rebalance();
    this.rerouter?.retryNow();
  }

  /** Passivates each local identity whose owner is now another member. */
  private rebalance(): void {
    const members = this.membership.members();
    const correlationId = newCorrelationId();
    for (const id of this.locals.identities()) {
      if (this.placement.ownerOf(id, members)?.nodeId === this.nodeId) continue;
      this.locals.passivate(id.text, PassivationReason.moved, correlationId).catch((error: unknown) => {
        this.logger.error({ err: error, identity: id.text, correlationId }, 'passivation failed');
      });
    }
  }

  private sendLocal(id: Identity, message: unknown, correlationId: string): void {
    this.locals
      .ensure(id, Date.now() + this.defaultTimeoutMs, correlationId)
      .then((ref) => this.system.send(ref, message, { correlationId }))
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error, identity: id.text, correlationId },
          'message not delivered to the local actor',
        );
      });
  }

  private sendRemote(nodeId: string, envelope: Envelope): void {
    const member = this.membership.members().find((m) => m.nodeId === nodeId);
    if (member !== undefined) this.peers?.follow(member, this.nodeId);
    this.requireTransport().send(nodeId, envelope);
  }

  private deliverLocalMessage(envelope: Envelope, id: Identity): void {
    const kind = this.implementation(id.kind);
    this.sendLocal(
      id,
      kind.codec.decodeMessage(envelope.type, envelope.payload, undefined),
      envelope.correlationId,
    );
  }

  private inbound(): InboundContext {
    this.inboundContext ??= {
      nodeId: this.nodeId,
      kinds: this.kinds,
      system: this.system,
      defaultTimeoutMs: this.defaultTimeoutMs,
      hosts: (identityText) => this.locals.has(identityText),
      ownerOf: (id) => this.ownerOf(id),
      implementation: (kind) => this.implementation(kind),
      ensure: (id, deadlineAt, correlationId) => this.locals.ensure(id, deadlineAt, correlationId),
      sendLocal: (id, message, correlationId) => this.sendLocal(id, message, correlationId),
      park: (envelope, reason) => this.rerouter?.handBack(envelope, reason),
    };
    return this.inboundContext;
  }

  private identityOf(target: Identity | string): Identity {
    return this.kinds.validate(typeof target === 'string' ? parseIdentity(target) : target);
  }

  private implementation(kind: string): ClusterKind<unknown, unknown> {
    const found = this.implementations.get(kind);
    if (found === undefined) {
      throw new FailedPreconditionError(
        `kind ${kind} has no implementation registered on node ${this.nodeId}`,
      );
    }
    return found;
  }

  private requireOwner(id: Identity): Member {
    const owner = this.ownerOf(id);
    if (owner !== undefined) return owner;
    const roles = this.kinds.require(id.kind).roles.join(', ');
    throw new UnavailableError(`no live member can host ${id.text} (roles ${roles})`, {
      details: { identity: id.text },
    });
  }

  private requireTransport(): RemoteTransport {
    if (this.transport === undefined) throw new FailedPreconditionError('this node has no cluster transport');
    return this.transport;
  }

  private emit(activation: LocalActivation, passivated: PassivationReason | undefined): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(activation, passivated);
      } catch (error) {
        this.logger.error({ err: error, identity: activation.identity.text }, 'activation listener threw');
      }
    }
  }
}
