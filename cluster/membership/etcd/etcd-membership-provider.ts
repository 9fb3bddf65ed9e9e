import { setTimeout as sleep } from 'node:timers/promises';
import type { Etcd3, IKeyValue, Lease, Watcher } from 'etcd3';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  UnavailableError,
  isNinjaError,
} from '../../../domain/errors.ts';
import type { Logger } from '../../../observability/index.ts';
import { clusterKeys } from '../../etcd/keys.ts';
import type { ClusterKeys } from '../../etcd/keys.ts';
import type { ClusterMetrics } from '../../metrics.ts';
import { MembershipListeners } from '../listeners.ts';
import { decodeMember, encodeMember } from '../member-codec.ts';
import { validateMemberInfo } from '../member.ts';
import type { Member, MemberInfo, MemberState } from '../member.ts';
import { MembershipHealth } from '../membership-provider.ts';
import type {
  MembershipEvent,
  MembershipListener,
  MembershipProvider,
  StartOptions,
} from '../membership-provider.ts';
import { resolveEtcdMembershipOptions } from './etcd-membership-options.ts';
import type { EtcdMembershipOptions, ResolvedEtcdMembershipOptions } from './etcd-membership-options.ts';
import { LeaseFence } from './lease-fence.ts';
import type { FenceInfo } from './lease-fence.ts';
import { MemberView } from './member-view.ts';

/** This node's current lease, as lent to the activation registry while the node is healthy. */
export interface MemberLease {
  readonly lease: Lease;
  readonly leaseId: string;
  /** Increments with each registration (a fence and recovery gives a new generation). */
  readonly generation: number;
}

interface Session extends MemberLease {
  readonly fence: LeaseFence;
}

/**
 * Membership in etcd. This node's member key `members/<nodeId>` lives under a lease kept alive by
 * the etcd3 client (a renewal every TTL/3); every node watches the prefix. See docs/cluster.md for
 * the self-fencing deadline.
 */
export class EtcdMembershipProvider implements MembershipProvider {
  readonly keys: ClusterKeys;
  private readonly settings: ResolvedEtcdMembershipOptions;
  private readonly client: Etcd3;
  private readonly logger: Logger;
  private readonly metrics: ClusterMetrics | undefined;
  private readonly listeners: MembershipListeners;
  private readonly view = new MemberView();
  private healthState: MembershipHealth = MembershipHealth.stopped;
  private selfMember: Member | undefined;
  private session: Session | undefined;
  private lastAnchor: number | undefined;
  private generation = 0;
  private watcher: Watcher | undefined;
  private watchNeedsResync = false;
  private stopController = new AbortController();
  private background = new Set<Promise<void>>();

  constructor(options: EtcdMembershipOptions) {
    this.settings = resolveEtcdMembershipOptions(options);
    this.keys = clusterKeys(options.clusterName, options.rootPrefix);
    this.client = options.client;
    this.logger = options.logger.child({ component: 'etcd-membership' });
    this.metrics = options.metrics;
    this.listeners = new MembershipListeners(this.logger);
  }

  get health(): MembershipHealth {
    return this.healthState;
  }

  get lastKeepaliveAt(): number | undefined {
    return this.session?.fence.lastKeepaliveAt ?? this.lastAnchor;
  }

  /** When this node will fence itself unless a renewal is acknowledged first (ms since the epoch). */
  get fenceDeadlineAt(): number | undefined {
    return this.session?.fence.deadlineAt;
  }

  get self(): Member | undefined {
    return this.selfMember;
  }

  get ttlMs(): number {
    return this.settings.ttlMs;
  }

  members(): readonly Member[] {
    return this.view.members();
  }

  subscribe(listener: MembershipListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * The lease activations must be put under, or undefined when this node is not healthy. Checks
   * the fence deadline synchronously: past it, the node fences now and gets undefined.
   */
  currentLease(): MemberLease | undefined {
    const session = this.session;
    if (session === undefined || this.healthState !== MembershipHealth.healthy) return undefined;
    if (session.fence.expired()) {
      session.fence.fireNow();
      return undefined;
    }
    return session;
  }

  async start(info: MemberInfo, options: StartOptions = {}): Promise<void> {
    validateMemberInfo(info);
    if (this.healthState !== MembershipHealth.stopped) {
      throw new FailedPreconditionError(`etcd membership is ${this.healthState}, not stopped`);
    }
    this.healthState = MembershipHealth.starting;
    this.stopController = new AbortController();
    this.selfMember = Object.freeze({
      nodeId: info.nodeId,
      address: info.address,
      roles: Object.freeze([...info.roles]),
      version: info.version,
      state: options.initialState ?? 'up',
      startedAt: Date.now(),
    });
    const deadline = Date.now() + this.settings.startTimeoutMs;
    try {
      await this.register(deadline);
      await this.startWatch(deadline);
      this.healthState = MembershipHealth.healthy;
      this.logger.info(
        { nodeId: info.nodeId, leaseId: this.session?.leaseId, ttlMs: this.settings.ttlMs },
        'joined the cluster',
      );
    } catch (error) {
      this.logger.error({ err: error, nodeId: info.nodeId }, 'membership start failed');
      await this.teardown();
      throw isNinjaError(error)
        ? error
        : new UnavailableError(`cannot join the cluster through etcd: ${describe(error)}`, { cause: error });
    }
  }

  async setState(state: MemberState): Promise<void> {
    const current = this.selfMember;
    if (current === undefined) throw new FailedPreconditionError('etcd membership not started');
    this.selfMember = Object.freeze({ ...current, state });
    const session = this.currentLease();
    // When fenced, the recovery registers the new state; nothing to write now.
    if (session === undefined) return;
    await session.lease.put(this.keys.member(current.nodeId)).value(encodeMember(this.selfMember));
  }

  async stop(): Promise<void> {
    if (this.healthState === MembershipHealth.stopped) return;
    const session = this.session;
    const self = this.selfMember;
    if (session !== undefined && self !== undefined && this.healthState === MembershipHealth.healthy) {
      try {
        this.selfMember = Object.freeze({ ...self, state: 'leaving' });
        await session.lease.put(this.keys.member(self.nodeId)).value(encodeMember(this.selfMember));
      } catch (error) {
        this.logger.warn({ err: error }, 'could not announce leaving; peers will see an expiry');
      }
    }
    await this.teardown();
    this.logger.info({ nodeId: self?.nodeId }, 'left the cluster');
  }

  /** Stops everything this provider runs; revokes the lease if it can. */
  private async teardown(): Promise<void> {
    this.stopController.abort();
    const watcher = this.watcher;
    this.watcher = undefined;
    if (watcher !== undefined) await this.cancelWatcher(watcher);
    // A recovery in flight may still register a new session: let it finish before revoking.
    await Promise.allSettled([...this.background]);
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) {
      session.fence.stop();
      try {
        await session.lease.revoke();
      } catch (error) {
        this.logger.warn(
          { err: error, leaseId: session.leaseId },
          'lease revoke failed; it will expire after its TTL',
        );
      }
    }
    this.view.clear();
    this.updateGauge();
    this.selfMember = undefined;
    this.healthState = MembershipHealth.stopped;
  }

  /** Grants a lease and creates this node's key under it; waits (bounded) for a previous incarnation's key to expire. */
  private async register(deadline: number): Promise<void> {
    const self = this.selfMember;
    if (self === undefined) throw new FailedPreconditionError('no member to register');
    const key = this.keys.member(self.nodeId);
    const requestedAt = Date.now();
    const lease = this.client.lease(this.settings.ttlSeconds);
    const generation = ++this.generation;
    const fence = new LeaseFence({
      ttlMs: this.settings.ttlMs,
      safetyMarginMs: this.settings.safetyMarginMs,
      onFence: (info) => this.onFence(generation, info, 'keepalive deadline passed'),
    });
    this.watchLease(lease, fence, generation);
    // A previous incarnation's key (same node id, crashed) expires within a TTL: wait that long, no longer.
    const waitUntil = Math.min(deadline, Date.now() + this.settings.ttlMs + 1000);
    let registered = false;
    try {
      const leaseId = await lease.grant();
      fence.arm(requestedAt);
      for (;;) {
        const result = await this.client
          .if(key, 'Create', '==', 0)
          .then(lease.put(key).value(encodeMember(self)))
          .else(this.client.get(key))
          .commit();
        if (result.succeeded) break;
        const holder = result.responses[0]?.response_range.kvs[0];
        if (Date.now() >= waitUntil) {
          throw new AlreadyExistsError(
            `node id ${self.nodeId} is registered by a live member (lease ${holder?.lease ?? '?'})`,
            {
              details: { nodeId: self.nodeId },
            },
          );
        }
        this.logger.info(
          { nodeId: self.nodeId, lease: holder?.lease },
          'member key still held by a previous incarnation; waiting for it to expire',
        );
        await sleep(Math.min(250, Math.max(0, waitUntil - Date.now())), undefined, {
          signal: this.stopController.signal,
        });
      }
      this.session = { lease, leaseId, generation, fence };
      registered = true;
    } finally {
      if (!registered) {
        fence.stop();
        await lease.revoke().catch((error: unknown) => {
          this.logger.warn({ err: error }, 'revoking the unused lease failed; it will expire after its TTL');
        });
      }
    }
  }

  private watchLease(lease: Lease, fence: LeaseFence, generation: number): void {
    lease.on('keepaliveFired', () => {
      fence.sent();
      const anchor = fence.lastKeepaliveAt;
      if (anchor !== undefined) this.metrics?.keepaliveAge.set(Date.now() - anchor);
    });
    lease.on('keepaliveSucceeded', () => {
      const gap = fence.acknowledged();
      if (gap !== undefined) this.metrics?.keepaliveGap.observe(gap);
    });
    lease.on('keepaliveEstablished', () => fence.streamReset());
    lease.on('keepaliveFailed', (error) => {
      fence.streamReset();
      this.logger.warn({ err: error, generation }, 'lease keepalive failed; the client retries');
    });
    lease.on('lost', (error) => {
      // Informational: our own deadline normally fired long before. If etcd said the lease is gone
      // (revoked or expired), fence now.
      this.logger.warn({ err: error, generation }, 'etcd3 reports the lease lost');
      this.onFence(generation, undefined, 'lease reported lost');
    });
  }

  private onFence(generation: number, info: FenceInfo | undefined, reason: string): void {
    const session = this.session;
    if (session?.generation !== generation || this.healthState !== MembershipHealth.healthy) return;
    const at = info?.at ?? Date.now();
    const lastKeepaliveAt = info?.lastKeepaliveAt ?? session.fence.lastKeepaliveAt ?? at;
    session.fence.stop();
    session.lease.release();
    this.session = undefined;
    this.lastAnchor = lastKeepaliveAt;
    this.healthState = MembershipHealth.fenced;
    this.metrics?.selfFencing.inc();
    this.metrics?.keepaliveAge.set(at - lastKeepaliveAt);
    const leaseExpiresNoEarlierThan =
      info?.leaseExpiresNoEarlierThan ?? lastKeepaliveAt + this.settings.ttlMs;
    this.logger.error(
      {
        reason,
        leaseId: session.leaseId,
        lastKeepaliveAt,
        leaseExpiresNoEarlierThan,
        leadMs: leaseExpiresNoEarlierThan - at,
      },
      'self-fenced: lease not renewed in time; actors must stop',
    );
    this.listeners.emit({ type: 'fenced', lastKeepaliveAt, leaseExpiresNoEarlierThan, at });
    this.track(this.recover(session));
  }

  /** Revokes the fenced lease (so its activation keys go now), then registers under a new one. */
  private async recover(old: Session): Promise<void> {
    const signal = this.stopController.signal;
    let backoff = this.settings.recoveryInitialBackoffMs;
    let revoked = false;
    while (!signal.aborted) {
      try {
        if (!revoked) {
          await old.lease.revoke();
          revoked = true;
        }
        await this.register(Date.now() + this.settings.ttlMs + 1000);
        if (signal.aborted) return;
        this.healthState = MembershipHealth.healthy;
        this.metrics?.recoveries.inc();
        this.logger.warn(
          { leaseId: this.session?.leaseId },
          'recovered from fence: registered under a new lease',
        );
        this.listeners.emit({ type: 'recovered', at: Date.now() });
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn(
          { err: error, revoked, backoffMs: backoff },
          'membership recovery attempt failed; retrying',
        );
        try {
          await sleep(backoff, undefined, { signal });
        } catch (sleepError) {
          if (!signal.aborted) throw sleepError;
          return;
        }
        backoff = Math.min(backoff * 2, this.settings.recoveryMaxBackoffMs);
      }
    }
  }

  /** Initial get, then a watch from the revision after it, so that no change falls between the two. */
  private async startWatch(deadline: number): Promise<void> {
    const revision = await this.resync();
    const watcher = this.client
      .watch()
      .prefix(this.keys.membersPrefix)
      .withPreviousKV()
      .startRevision((revision + 1n).toString())
      .watcher();
    this.watcher = watcher;
    watcher.on('put', (kv) => this.onPut(kv));
    watcher.on('delete', (kv) => this.onDelete(kv));
    watcher.on('disconnected', (error) => {
      this.watchNeedsResync = true;
      this.logger.warn({ err: error }, 'members watch disconnected; the client reconnects');
    });
    watcher.on('connected', () => {
      if (!this.watchNeedsResync) return;
      this.watchNeedsResync = false;
      // The client resumes from its last revision; a re-sync also covers what it cannot replay.
      this.track(
        this.resync().then(
          () => undefined,
          (error: unknown) => this.logger.warn({ err: error }, 'members re-sync after reconnect failed'),
        ),
      );
    });
    watcher.on('error', (error) => {
      this.logger.error({ err: error }, 'members watch cancelled by etcd; restarting it');
      if (this.watcher === watcher) this.track(this.restartWatch());
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new UnavailableError('members watch did not connect in time')),
        Math.max(0, deadline - Date.now()),
      );
      watcher.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async restartWatch(): Promise<void> {
    const signal = this.stopController.signal;
    let backoff = this.settings.recoveryInitialBackoffMs;
    while (!signal.aborted) {
      try {
        await this.startWatch(Date.now() + this.settings.startTimeoutMs);
        return;
      } catch (error) {
        this.logger.warn({ err: error, backoffMs: backoff }, 'members watch restart failed; retrying');
        try {
          await sleep(backoff, undefined, { signal });
        } catch (sleepError) {
          if (!signal.aborted) throw sleepError;
          return;
        }
        backoff = Math.min(backoff * 2, this.settings.recoveryMaxBackoffMs);
      }
    }
  }

  /** Reads the whole prefix and announces what changed; returns the revision read at. */
  private async resync(): Promise<bigint> {
    const response = await this.client.getAll().prefix(this.keys.membersPrefix).exec();
    const revision = BigInt(response.header.revision);
    const members: Member[] = [];
    for (const kv of response.kvs) {
      const member = this.decode(kv);
      if (member !== undefined) members.push(member);
    }
    for (const event of this.view.replace(members, revision)) this.announce(event);
    return revision;
  }

  private onPut(kv: IKeyValue): void {
    const member = this.decode(kv);
    if (member === undefined) return;
    const event = this.view.put(member, BigInt(kv.mod_revision));
    if (event !== undefined) this.announce(event);
  }

  private onDelete(kv: IKeyValue): void {
    const nodeId = kv.key.toString('utf8').slice(this.keys.membersPrefix.length);
    const event = this.view.delete(nodeId, BigInt(kv.mod_revision));
    if (event === undefined) return;
    this.announce(event);
    if (
      nodeId === this.selfMember?.nodeId &&
      this.healthState === MembershipHealth.healthy &&
      this.session !== undefined
    ) {
      // Our own key is gone while we thought we were healthy: the lease is gone, so are our activations.
      this.onFence(this.session.generation, undefined, 'own member key deleted');
    }
  }

  private decode(kv: IKeyValue): Member | undefined {
    const nodeId = kv.key.toString('utf8').slice(this.keys.membersPrefix.length);
    try {
      return decodeMember(nodeId, kv.value.toString('utf8'));
    } catch (error) {
      this.logger.error({ err: error, key: kv.key.toString('utf8') }, 'ignoring an unreadable member key');
      return undefined;
    }
  }

  private announce(event: MembershipEvent): void {
    if (event.type === 'member-joined') this.metrics?.membershipChanges.inc({ type: 'joined' });
    else if (event.type === 'member-updated') this.metrics?.membershipChanges.inc({ type: 'updated' });
    else if (event.type === 'member-left') this.metrics?.membershipChanges.inc({ type: event.reason });
    this.updateGauge();
    this.logger.info(
      { event: event.type, nodeId: 'member' in event ? event.member.nodeId : undefined },
      'membership change',
    );
    this.listeners.emit(event);
  }

  private updateGauge(): void {
    const gauge = this.metrics?.members;
    if (gauge === undefined) return;
    gauge.reset();
    for (const member of this.view.members()) gauge.inc({ state: member.state });
  }

  private async cancelWatcher(watcher: Watcher): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        watcher.cancel(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, 1000);
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error }, 'members watch cancel failed');
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  private track(task: Promise<void>): void {
    const tracked = task.catch((error: unknown) => {
      this.logger.error({ err: error }, 'membership background task failed');
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
