import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import type { Activation } from '../activation/activation.ts';
import type { EtcdActivationRegistry } from '../activation/etcd-activation-registry.ts';
import type { Identity } from '../identity.ts';

/** This node's right to host one identity. */
export interface ActivationTicket {
  readonly identity: Identity;
  /** The fencing token for the journal, or undefined when the database numbers epochs (one node). */
  readonly epoch: bigint | undefined;
  readonly activation: Activation | undefined;
}

/** Where a node takes and gives back the single cluster-wide activation of an identity. */
export interface ActivationStore {
  /**
   * Takes the activation of `id`, waiting (until `deadlineAt`, ms since the epoch) while another
   * node still holds it: that node gives it up once it sees it is no longer the owner. UNAVAILABLE
   * (retryable) when it is still held elsewhere at the deadline, FencedError when this node is fenced.
   */
  acquire(id: Identity, deadlineAt: number, correlationId: string): Promise<ActivationTicket>;
  /** Gives the activation back (passivation); errors are logged, never thrown. */
  release(ticket: ActivationTicket, correlationId: string): Promise<void>;
}

/** One node and no etcd: nobody else can hold an activation, and the database numbers the epochs. */
export function staticActivationStore(): ActivationStore {
  return {
    acquire: (id) => Promise.resolve({ identity: id, epoch: undefined, activation: undefined }),
    release: () => Promise.resolve(),
  };
}

const RETRY_MS = 25;
const MAX_RETRY_MS = 200;

/** Activation keys in etcd under this node's lease; the key's create revision is the epoch. */
export function etcdActivationStore(registry: EtcdActivationRegistry, logger: Logger): ActivationStore {
  return {
    async acquire(id, deadlineAt, correlationId) {
      let wait = RETRY_MS;
      for (;;) {
        const result = await registry.tryActivate(id);
        if (result.acquired) {
          return { identity: id, epoch: result.activation.epoch, activation: result.activation };
        }
        if (Date.now() + wait >= deadlineAt) {
          throw new UnavailableError(
            `${id.text} is still active on ${result.holder.nodeId}; retry once it has handed it over`,
            { details: { identity: id.text, holder: result.holder.nodeId, correlationId } },
          );
        }
        await sleep(wait);
        wait = Math.min(MAX_RETRY_MS, wait * 2);
      }
    },
    async release(ticket, correlationId) {
      if (ticket.activation === undefined) return;
      try {
        await registry.release(ticket.activation);
      } catch (error) {
        // The key dies with our lease anyway; a newer holder is protected by the epoch check.
        logger.warn(
          { err: error, identity: ticket.identity.text, correlationId },
          'could not release an activation key; it expires with the lease',
        );
      }
    },
  };
}
