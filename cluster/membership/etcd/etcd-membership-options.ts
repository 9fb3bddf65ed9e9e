import type { Etcd3 } from 'etcd3';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Logger } from '../../../observability/index.ts';
import type { ClusterMetrics } from '../../metrics.ts';

export interface EtcdMembershipOptions {
  /** The node's etcd client (see createEtcdClient); owned by the caller, shared with the activation registry. */
  readonly client: Etcd3;
  /** Keys live under `<rootPrefix><clusterName>/`, default root `/ninja/`. */
  readonly clusterName: string;
  readonly rootPrefix?: string;
  /** Lease TTL in whole seconds (etcd's unit). Default 2. */
  readonly ttlSeconds?: number;
  /**
   * How long before the earliest possible server-side expiry this node fences itself, ms.
   * Default max(250, TTL/4): 500 ms at a 2 s TTL. Must be below 2/3 of the TTL so that a renewal
   * (sent every TTL/3) can land before the deadline.
   */
  readonly safetyMarginMs?: number;
  /** Bound on start(): lease grant, registration and the first watch. Default 10 s. */
  readonly startTimeoutMs?: number;
  /** Backoff between recovery attempts after a fence. Default 200 ms doubling to 2 s. */
  readonly recoveryInitialBackoffMs?: number;
  readonly recoveryMaxBackoffMs?: number;
  readonly logger: Logger;
  readonly metrics?: ClusterMetrics;
}

export interface ResolvedEtcdMembershipOptions {
  readonly ttlSeconds: number;
  readonly ttlMs: number;
  readonly safetyMarginMs: number;
  readonly startTimeoutMs: number;
  readonly recoveryInitialBackoffMs: number;
  readonly recoveryMaxBackoffMs: number;
}

export const DEFAULT_MEMBER_TTL_SECONDS = 2;

export function resolveEtcdMembershipOptions(options: EtcdMembershipOptions): ResolvedEtcdMembershipOptions {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_MEMBER_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 300) {
    throw new InvalidArgumentError(
      'membership.ttlSeconds',
      `must be a whole number of seconds in 1..300; got ${String(ttlSeconds)}`,
    );
  }
  const ttlMs = ttlSeconds * 1000;
  const safetyMarginMs = options.safetyMarginMs ?? Math.max(250, ttlMs / 4);
  if (!(safetyMarginMs > 0 && safetyMarginMs < (ttlMs * 2) / 3)) {
    throw new InvalidArgumentError(
      'membership.safetyMarginMs',
      `must be in (0, 2/3 of the TTL = ${String((ttlMs * 2) / 3)} ms); got ${String(safetyMarginMs)}`,
    );
  }
  return {
    ttlSeconds,
    ttlMs,
    safetyMarginMs,
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    recoveryInitialBackoffMs: options.recoveryInitialBackoffMs ?? 200,
    recoveryMaxBackoffMs: options.recoveryMaxBackoffMs ?? 2000,
  };
}
