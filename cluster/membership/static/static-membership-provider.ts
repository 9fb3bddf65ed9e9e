import { FailedPreconditionError } from '../../../domain/errors.ts';
import type { Logger } from '../../../observability/index.ts';
import type { ClusterMetrics } from '../../metrics.ts';
import { MembershipListeners } from '../listeners.ts';
import { validateMemberInfo } from '../member.ts';
import type { Member, MemberInfo, MemberState } from '../member.ts';
import { MembershipHealth } from '../membership-provider.ts';
import type { MembershipListener, MembershipProvider, StartOptions } from '../membership-provider.ts';

export interface StaticMembershipOptions {
  readonly logger: Logger;
  readonly metrics?: ClusterMetrics;
  readonly now?: () => number;
}

/**
 * A one-node cluster with no etcd: the only member is this node. There is no lease, so the node is
 * never fenced; `lastKeepaliveAt` stays undefined.
 */
export class StaticMembershipProvider implements MembershipProvider {
  private current: Member | undefined;
  private healthState: MembershipHealth = MembershipHealth.stopped;
  private readonly listeners: MembershipListeners;
  private readonly now: () => number;

  constructor(private readonly options: StaticMembershipOptions) {
    this.listeners = new MembershipListeners(options.logger);
    this.now = options.now ?? Date.now;
  }

  get health(): MembershipHealth {
    return this.healthState;
  }

  get lastKeepaliveAt(): number | undefined {
    return undefined;
  }

  get self(): Member | undefined {
    return this.current;
  }

  start(self: MemberInfo, options: StartOptions = {}): Promise<void> {
    try {
      validateMemberInfo(self);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.current !== undefined) {
      return Promise.reject(new FailedPreconditionError('static membership already started'));
    }
    this.current = Object.freeze({
      nodeId: self.nodeId,
      address: self.address,
      roles: Object.freeze([...self.roles]),
      version: self.version,
      state: options.initialState ?? 'up',
      startedAt: this.now(),
    });
    this.healthState = MembershipHealth.healthy;
    this.options.metrics?.membershipChanges.inc({ type: 'joined' });
    this.updateGauge();
    this.options.logger.info({ nodeId: self.nodeId }, 'static membership started');
    this.listeners.emit({ type: 'member-joined', member: this.current });
    return Promise.resolve();
  }

  setState(state: MemberState): Promise<void> {
    const previous = this.current;
    if (previous === undefined)
      return Promise.reject(new FailedPreconditionError('static membership not started'));
    if (previous.state === state) return Promise.resolve();
    this.current = Object.freeze({ ...previous, state });
    this.options.metrics?.membershipChanges.inc({ type: 'updated' });
    this.updateGauge();
    this.listeners.emit({ type: 'member-updated', member: this.current, previous });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    const member = this.current;
    if (member === undefined) return Promise.resolve();
    this.current = undefined;
    this.healthState = MembershipHealth.stopped;
    this.options.metrics?.membershipChanges.inc({ type: 'left' });
    this.updateGauge();
    this.listeners.emit({ type: 'member-left', member: { ...member, state: 'leaving' }, reason: 'left' });
    return Promise.resolve();
  }

  members(): readonly Member[] {
    return this.current === undefined ? [] : [this.current];
  }

  subscribe(listener: MembershipListener): () => void {
    return this.listeners.add(listener);
  }

  private updateGauge(): void {
    const gauge = this.options.metrics?.members;
    if (gauge === undefined) return;
    gauge.reset();
    if (this.current !== undefined) gauge.set({ state: this.current.state }, 1);
  }
}
