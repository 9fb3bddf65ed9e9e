import type { Etcd3 } from 'etcd3';
import { createActorSystem, JournalGroupCommit } from '../../actors/kernel/index.ts';
import type { ActorSystem, ReplyTo } from '../../actors/kernel/index.ts';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { newCorrelationId } from '../../observability/index.ts';
import { countActivations } from '../activation/index.ts';
import type { EtcdActivationRegistry } from '../activation/etcd-activation-registry.ts';
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
import { ClusterRouter } from './cluster-router.ts';
import type { ClusterRequestOptions, ClusterSendOptions } from './cluster-router.ts';
import { requestDrain } from './drain-requests.ts';
import type { DrainRequests } from './drain-requests.ts';
import { startIdleSweep } from './idle-sweep.ts';
import { deliverInbound } from './inbound-delivery.ts';
import { KindImplementations } from './kind-implementations.ts';
import { membershipBackend } from './membership-backend.ts';
import type { MembershipBackend } from './membership-backend.ts';
import { nodeStatus } from './node-status.ts';
import { LocalActors, PassivationReason } from './local-actors.ts';
import type { ActivationListener } from './local-actors.ts';
import { ActivationListeners } from './activation-listeners.ts';
import { PeerLinks } from './peer-links.ts';
import { Rerouter } from './rerouter.ts';
import { ServingTransport } from './serving-transport.ts';

export type { ClusterRequestOptions, ClusterSendOptions } from './cluster-router.ts';

export class ClusterNode implements ClusterOperations {
  readonly nodeId: string;
  readonly kinds: KindRegistry;
  readonly system: ActorSystem;
  readonly membership: MembershipProvider;
  readonly transport: RemoteTransport | undefined;
  private readonly logger: Logger;
  private readonly metrics: ClusterNodeMetrics;
  private readonly placement: RendezvousPlacement;
  private readonly implementations: KindImplementations;
  private readonly router: ClusterRouter;
  private readonly locals: LocalActors;
  private readonly peers: PeerLinks | undefined;
  private readonly rerouter: Rerouter | undefined;
  private readonly registry: EtcdActivationRegistry | undefined;
  private readonly ownedClient: Etcd3 | undefined;
  private readonly drains: DrainRequests | undefined;
  private readonly etcd: MembershipBackend['etcd'];
  private readonly stopped: Promise<void>;
  private markStopped: () => void = () => undefined;
  private readonly listeners: ActivationListeners;
  private readonly defaultTimeoutMs: number;
  private unsubscribe: (() => void) | undefined;
  private stopIdleSweep: () => void = () => undefined;
  private stopping: Promise<void> | undefined;
  private stopRequested = false;

  constructor(private readonly options: ClusterNodeOptions) {
    this.nodeId = options.nodeId;
    this.kinds = options.kinds ?? defaultKindRegistry();
    this.placement = new RendezvousPlacement(this.kinds);
    this.implementations = new KindImplementations(this.kinds, options.nodeId, options.pool !== undefined);
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
    this.listeners = new ActivationListeners(this.logger);
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
      // Concurrent appends of different actors share one INSERT (each row keeps its epoch fence).
      ...(options.pool === undefined
        ? {}
        : {
            persistence: {
              pool: options.pool,
              epochs,
              groupCommit: new JournalGroupCommit({
                pool: options.pool,
                metrics: options.metrics,
                logger: options.logger,
              }),
            },
          }),
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
      onActivated: (activation) => this.listeners.emit(activation, undefined),
      onPassivated: (activation, reason) => this.listeners.emit(activation, reason),
    });
    let transport: ServingTransport | undefined;
    if (options.transport !== undefined) {
      const clusterService = clusterServiceOnListener({
        operations: this,
        logger: this.logger,
        metrics: options.metrics,
        ...(options.adminNames === undefined ? {} : { adminNames: options.adminNames }),
      });
      transport = new ServingTransport(
        {
          logger: options.logger.child({ component: 'remote', nodeId: options.nodeId }),
          metrics: options.metrics,
          onUndeliverable: (envelope, reason) => this.rerouter?.handBack(envelope, reason),
          ...options.transport.options,
        },
        [clusterService],
      );
      this.peers = new PeerLinks(transport, this.logger);
    }
    this.transport = transport;
    this.router = new ClusterRouter({
      nodeId: options.nodeId,
      kinds: this.kinds,
      implementations: this.implementations,
      system: this.system,
      locals: this.locals,
      membership: this.membership,
      placement: this.placement,
      transport,
      peers: this.peers,
      handBack: (envelope, reason) => this.rerouter?.handBack(envelope, reason),
      defaultTimeoutMs: this.defaultTimeoutMs,
      logger: this.logger,
      metrics: this.metrics,
    });
    if (transport !== undefined) {
      this.rerouter = new Rerouter({
        windowMs: options.rerouteWindowMs ?? 10_000,
        nodeId: options.nodeId,
        ownerOf: (id) => this.router.ownerOf(id),
        isReachable: (nodeId) => this.peers?.isConnected(nodeId) ?? false,
        deliverLocal: (envelope, id) => this.router.deliverLocalMessage(envelope, id),
        sendRemote: (nodeId, envelope) => this.router.sendRemote(nodeId, envelope),
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
    this.implementations.register(kind);
    return this;
  }

  /** Calls `listener` on each local activation and passivation (tests use it to check uniqueness). */
  onActivation(listener: ActivationListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    let address = 'local';
    if (this.transport !== undefined && this.options.transport !== undefined) {
      ({ address } = await this.transport.start({
        listen: this.options.transport.listen,
        tls: this.options.transport.tls,
        nodeId: this.nodeId,
        clusterName: this.options.membership.type === 'etcd' ? this.options.membership.clusterName : 'local',
        deliver: (envelope, from) => deliverInbound(this.router.inbound(), envelope, from),
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
    this.stopIdleSweep = startIdleSweep(this.implementations.idleTimeoutsMs(), this.locals, this.logger);
    this.logger.info(
      { address, roles: this.options.roles, kinds: this.implementations.names() },
      'cluster node started',
    );
  }

  /** Fire-and-forget to an identity, wherever it lives. Throws for a bad identity or when no member can host it. */
  send<Msg>(target: Identity | string, message: Msg, options: ClusterSendOptions = {}): void {
    this.router.send(target, message, options);
  }

  /**
   * Sends the message `build` makes around a reply address and waits for the reply, wherever the
   * identity lives. UNAVAILABLE (retryable) when its owner is lost mid-request: it may or may not
   * have been processed; DEADLINE_EXCEEDED after `timeoutMs`.
   */
  request<Reply, Msg>(
    target: Identity | string,
    build: (replyTo: ReplyTo<Reply>) => Msg,
    options: ClusterRequestOptions = {},
  ): Promise<Reply> {
    return this.router.request(target, build, options);
  }

  /** The member that hosts `target` now (by this node's view), or undefined when none can. */
  ownerOf(target: Identity | string): Member | undefined {
    return this.router.ownerOf(target);
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
    // Set before the draining announcement: the static provider reports it synchronously, from
    // inside the call below, before `stopping` is assigned (see rebalance).
    this.stopRequested = true;
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
    // A stopping node passivates everything itself, stage by stage (LocalActors.passivateAll): its
    // own `draining` announcement must not stop every actor at once behind that order's back.
    if (this.stopRequested) return;
    const members = this.membership.members();
    this.locals.passivateMoved(
      (id) => this.placement.ownerOf(id, members)?.nodeId === this.nodeId,
      newCorrelationId(),
    );
  }
}
