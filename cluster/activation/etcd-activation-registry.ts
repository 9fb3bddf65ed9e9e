import type { Etcd3, IKeyValue } from 'etcd3';
import { DataLossError, InternalError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { FencedError } from '../errors.ts';
import type { Identity } from '../identity.ts';
import type { EtcdMembershipProvider, MemberLease } from '../membership/etcd/etcd-membership-provider.ts';
import type { ClusterMetrics } from '../metrics.ts';
import type { AcquireResult, Activation, ActivationHolder } from './activation.ts';

export interface EtcdActivationRegistryOptions {
  readonly client: Etcd3;
  /** Lends its lease: activation keys live and die with this node's membership. */
  readonly membership: EtcdMembershipProvider;
  readonly logger: Logger;
  readonly metrics?: ClusterMetrics;
}

/**
 * At most one activation per identity cluster-wide, held as `activations/<kind>/<key>` under the
 * holder's membership lease, created with `If(createRevision == 0) Then(put)`. When the holder's
 * lease expires or is revoked, its keys vanish and another node can take them.
 *
 * The key alone is not mutual exclusion (Jepsen, etcd 3.4: a paused holder can believe it still
 * holds a lock that has expired). The epoch (the key's create revision) is the fencing token: every
 * journal write carries it and the database refuses a write from an older epoch.
 */
export class EtcdActivationRegistry {
  private readonly client: Etcd3;
  private readonly membership: EtcdMembershipProvider;
  private readonly logger: Logger;
  private readonly metrics: ClusterMetrics | undefined;
  private readonly heldByIdentity = new Map<string, Activation>();
  private readonly unsubscribe: () => void;

  constructor(options: EtcdActivationRegistryOptions) {
    this.client = options.client;
    this.membership = options.membership;
    this.logger = options.logger.child({ component: 'activation-registry' });
    this.metrics = options.metrics;
    this.unsubscribe = this.membership.subscribe((event) => {
      if (event.type === 'fenced') this.dropAll('fenced');
    });
  }

  /** Activations this node holds (cleared when it fences: their keys die with the lease). */
  held(): readonly Activation[] {
    return [...this.heldByIdentity.values()];
  }

  /**
   * Takes the activation key of `id` under this node's lease. Returns the activation (with its
   * epoch) when this node holds it, including when it already did (so a retry after a timed-out
   * call that did succeed on the server finds it), or the current holder otherwise.
   * FencedError when this node is not healthy.
   */
  async tryActivate(id: Identity): Promise<AcquireResult> {
    const lease = this.requireLease();
    const self = this.membership.self;
    if (self === undefined) throw new FencedError('this node is not registered');
    const key = this.membership.keys.activation(id.text);
    const value = JSON.stringify({ nodeId: self.nodeId, address: self.address, activatedAt: Date.now() });
    let response;
    try {
      response = await this.client
        .if(key, 'Create', '==', 0)
        .then(lease.lease.put(key).value(value))
        .else(this.client.get(key))
        .commit();
    } catch (error) {
      this.metrics?.activationAttempts.inc({ result: 'error' });
      throw error;
    }
    // A fence during the call means the key (if taken) is under a lease about to be revoked.
    if (this.membership.currentLease()?.generation !== lease.generation) {
      throw new FencedError(`fenced while activating ${id.text}`);
    }
    if (response.succeeded) {
      const activation: Activation = Object.freeze({
        identity: id,
        epoch: BigInt(response.header.revision),
        nodeId: self.nodeId,
        leaseId: lease.leaseId,
      });
      this.hold(activation);
      this.metrics?.activationAttempts.inc({ result: 'acquired' });
      this.logger.debug({ identity: id.text, epoch: activation.epoch.toString() }, 'activation acquired');
      return { acquired: true, activation };
    }
    const kv = response.responses[0]?.response_range.kvs[0];
    if (kv === undefined) {
      throw new InternalError(`activation txn for ${id.text} failed its compare but read no key`);
    }
    const holder = this.decodeHolder(id, kv);
    if (holder.leaseId === lease.leaseId) {
      const activation: Activation = Object.freeze({
        identity: id,
        epoch: holder.epoch,
        nodeId: self.nodeId,
        leaseId: lease.leaseId,
      });
      this.hold(activation);
      this.metrics?.activationAttempts.inc({ result: 'already-held' });
      return { acquired: true, activation };
    }
    this.metrics?.activationAttempts.inc({ result: 'held-elsewhere' });
    return { acquired: false, holder };
  }

  /**
   * Deletes the activation key if this node still holds that very activation (same lease and
   * epoch); returns whether it deleted it. Called on passivation.
   */
  async release(activation: Activation): Promise<boolean> {
    const key = this.membership.keys.activation(activation.identity.text);
    const response = await this.client
      .if(key, 'Lease', '==', activation.leaseId)
      .and(key, 'Create', '==', activation.epoch.toString())
      .then(this.client.delete().key(key))
      .commit();
    const current = this.heldByIdentity.get(activation.identity.text);
    if (current !== undefined && current.epoch === activation.epoch) {
      this.heldByIdentity.delete(activation.identity.text);
      this.metrics?.activationsHeld.dec();
    }
    if (!response.succeeded) {
      this.logger.warn(
        { identity: activation.identity.text, epoch: activation.epoch.toString() },
        'release: the activation key is no longer ours',
      );
    }
    return response.succeeded;
  }

  /** The current holder of `id`'s activation key, or undefined when it is not active anywhere. */
  async whoHolds(id: Identity): Promise<ActivationHolder | undefined> {
    const response = await this.client.get(this.membership.keys.activation(id.text)).exec();
    const kv = response.kvs[0];
    return kv === undefined ? undefined : this.decodeHolder(id, kv);
  }

  /** Stops following the membership; held activations are forgotten (their keys die with the lease). */
  close(): void {
    this.unsubscribe();
    this.dropAll('closed');
  }

  private requireLease(): MemberLease {
    const lease = this.membership.currentLease();
    if (lease === undefined) throw new FencedError();
    return lease;
  }

  private hold(activation: Activation): void {
    if (!this.heldByIdentity.has(activation.identity.text)) this.metrics?.activationsHeld.inc();
    this.heldByIdentity.set(activation.identity.text, activation);
  }

  private dropAll(reason: string): void {
    if (this.heldByIdentity.size > 0) {
      this.logger.warn({ count: this.heldByIdentity.size, reason }, 'dropping every held activation');
    }
    this.metrics?.activationsHeld.dec(this.heldByIdentity.size);
    this.heldByIdentity.clear();
  }

  private decodeHolder(id: Identity, kv: IKeyValue): ActivationHolder {
    let parsed: unknown;
    try {
      parsed = JSON.parse(kv.value.toString('utf8'));
    } catch (error) {
      throw new DataLossError(`activation key of ${id.text} is not JSON`, {
        cause: error,
        details: { identity: id.text },
      });
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as { nodeId?: unknown }).nodeId !== 'string' ||
      typeof (parsed as { address?: unknown }).address !== 'string'
    ) {
      throw new DataLossError(`activation key of ${id.text} has no nodeId/address`, {
        details: { identity: id.text },
      });
    }
    const value = parsed as { nodeId: string; address: string };
    return Object.freeze({
      nodeId: value.nodeId,
      address: value.address,
      epoch: BigInt(kv.create_revision),
      leaseId: kv.lease,
    });
  }
}
