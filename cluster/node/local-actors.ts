import type { ActorRef, ActorSystem } from '../../actors/kernel/index.ts';
import { FailedPreconditionError, UnavailableError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import type { Identity } from '../identity.ts';
import type { ActivationStore, ActivationTicket } from './activation-store.ts';
import type { ClusterKind } from './cluster-kind.ts';
import type { ClusterNodeMetrics } from './cluster-node-metrics.ts';

/** Why a local activation ended. */
export const PassivationReason = {
  /** Placement moved the identity to another member (membership change, drain): snapshot, stop. */
  moved: 'moved',
  /** The actor stopped by itself (supervision stop, escalation, stale epoch). */
  stopped: 'stopped',
  /** This node could not renew its lease: stopped at once, keys die with the lease. */
  fenced: 'fenced',
  /** The node is shutting down or draining: snapshot, stop. */
  shutdown: 'shutdown',
  /** No message for the kind's idle timeout: snapshot, stop, re-activate on the next message. */
  idle: 'idle',
} as const;
export type PassivationReason = (typeof PassivationReason)[keyof typeof PassivationReason];

/**
 * Planned stops run the kind's passivate hook (a persistent actor writes its snapshot) before the
 * actor stops; `stopped` (already dead) and `fenced` (the lease is gone, another node may own the
 * identity already) stop at once.
 */
function isPlanned(reason: PassivationReason): boolean {
  return (
    reason === PassivationReason.idle ||
    reason === PassivationReason.moved ||
    reason === PassivationReason.shutdown
  );
}

/** An activation this node hosts, seen by `onActivated` / `onPassivated` listeners. */
export interface LocalActivation {
  readonly identity: Identity;
  readonly nodeId: string;
  readonly epoch: bigint | undefined;
  readonly at: number;
}

/** Called on each local activation, and on its passivation (with the reason). */
export type ActivationListener = (activation: LocalActivation, passivated?: PassivationReason) => void;

interface Entry {
  readonly identity: Identity;
  state: 'activating' | 'active' | 'passivating';
  ready: Promise<ActorRef<unknown>>;
  ref: ActorRef<unknown> | undefined;
  ticket: ActivationTicket | undefined;
  /** The epoch was handed to the journal once; a restart of the actor needs a fresh activation. */
  epochUsed: boolean;
  done: Promise<void> | undefined;
  /** performance.now() of the last message routed to it (idle passivation). */
  lastActive: number;
}

export interface LocalActorsOptions {
  readonly nodeId: string;
  readonly system: ActorSystem;
  readonly store: ActivationStore;
  readonly kindOf: (kind: string) => ClusterKind<unknown, unknown> | undefined;
  readonly logger: Logger;
  readonly metrics: ClusterNodeMetrics;
  /** How long a planned stop waits for the passivate hook before stopping the actor anyway. */
  readonly passivateTimeoutMs: number;
  readonly onActivated: (activation: LocalActivation) => void;
  readonly onPassivated: (activation: LocalActivation, reason: PassivationReason) => void;
}

/**
 * The identities this node hosts: activation on first message (take the cluster-wide activation,
 * then spawn), passivation (stop, then give the activation back), and the epochs handed to the
 * journal of persistent kinds.
 */
export class LocalActors {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: LocalActorsOptions) {}

  get size(): number {
    return this.entries.size;
  }

  identities(): Identity[] {
    return [...this.entries.values()].map((entry) => entry.identity);
  }

  /** Activations hosted here, by kind (those passivating included until they are gone). */
  countByKind(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const entry of this.entries.values()) {
      counts.set(entry.identity.kind, (counts.get(entry.identity.kind) ?? 0) + 1);
    }
    return counts;
  }

  has(identityText: string): boolean {
    const entry = this.entries.get(identityText);
    return entry !== undefined && entry.state !== 'passivating';
  }

  /** The live local actor of `id`, activating it first when needed. */
  async ensure(id: Identity, deadlineAt: number, correlationId: string): Promise<ActorRef<unknown>> {
    for (;;) {
      const entry = this.entries.get(id.text);
      if (entry === undefined) return this.activate(id, deadlineAt, correlationId);
      entry.lastActive = performance.now();
      if (entry.state === 'passivating') {
        await entry.done;
        continue;
      }
      const ref = await entry.ready;
      if (this.options.system.isAlive(ref)) return ref;
      await this.passivate(id.text, PassivationReason.stopped, correlationId);
    }
  }

  /** Stops the local actor of `identityText` and gives its activation back (unless fenced). */
  passivate(identityText: string, reason: PassivationReason, correlationId: string): Promise<void> {
    const entry = this.entries.get(identityText);
    if (entry === undefined) return Promise.resolve();
    if (entry.done !== undefined) return entry.done;
    entry.state = 'passivating';
    entry.done = (async () => {
      try {
        let ref: ActorRef<unknown>;
        try {
          ref = await entry.ready;
        } catch (error) {
          // The activation itself failed and its caller got the error: nothing runs, nothing is held.
          this.options.logger.debug(
            { err: error, identity: identityText, correlationId },
            'nothing to passivate',
          );
          return;
        }
        if (isPlanned(reason)) {
          await this.options.system.passivate(ref, { hookTimeoutMs: this.options.passivateTimeoutMs });
        } else await this.options.system.stop(ref);
        // Described before the release: the moment it stopped, which is before anyone else may start it.
        const stopped = this.describe(entry);
        if (reason !== PassivationReason.fenced && entry.ticket !== undefined) {
          await this.options.store.release(entry.ticket, correlationId);
        }
        this.options.metrics.passivations.inc({ kind: entry.identity.kind, reason });
        this.options.onPassivated(stopped, reason);
      } finally {
        this.entries.delete(identityText);
        this.options.metrics.localActors.set(this.entries.size);
      }
    })();
    return entry.done;
  }

  /**
   * Passivates each active actor of a kind with an idle timeout that has had no message routed to
   * it for that long and has nothing queued or in progress. Returns how many it started.
   */
  passivateIdle(now: number, correlationId: string): number {
    let started = 0;
    for (const entry of this.entries.values()) {
      if (entry.state !== 'active' || entry.ref === undefined) continue;
      const idleTimeoutMs = this.options.kindOf(entry.identity.kind)?.idleTimeoutMs;
      if (idleTimeoutMs === undefined || now - entry.lastActive < idleTimeoutMs) continue;
      if (!this.options.system.isIdle(entry.ref)) continue;
      started += 1;
      const text = entry.identity.text;
      this.passivate(text, PassivationReason.idle, correlationId).catch((error: unknown) => {
        this.options.logger.error({ err: error, identity: text, correlationId }, 'idle passivation failed');
      });
    }
    return started;
  }

  /** Passivates (reason `moved`) each local actor that `ownedHere` says placement gave another member. */
  passivateMoved(ownedHere: (id: Identity) => boolean, correlationId: string): void {
    for (const entry of [...this.entries.values()]) {
      if (ownedHere(entry.identity)) continue;
      const text = entry.identity.text;
      this.passivate(text, PassivationReason.moved, correlationId).catch((error: unknown) => {
        this.options.logger.error({ err: error, identity: text, correlationId }, 'passivation failed');
      });
    }
  }

  /** Passivates every local actor, all at once. */
  async passivateAll(reason: PassivationReason, correlationId: string): Promise<void> {
    // Stage by stage (KindDefinition.stopStage), each at once within; a fenced node stops
    // everything at once: it no longer owns anything, so nothing may wait.
    const stages = new Map<number, string[]>();
    for (const [text, entry] of this.entries) {
      const stage =
        reason === PassivationReason.fenced
          ? 0
          : (this.options.kindOf(entry.identity.kind)?.kind.stopStage ?? 0);
      const texts = stages.get(stage);
      if (texts === undefined) stages.set(stage, [text]);
      else texts.push(text);
    }
    for (const stage of [...stages.keys()].sort((a, b) => a - b)) {
      const texts = stages.get(stage) ?? [];
      await Promise.all(texts.map((text) => this.passivate(text, reason, correlationId)));
      // What the stage's passivate hooks sent to local actors is still on its way (a chain of
      // promises to the target's mailbox): let it arrive before the next stage stops its targets.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The epoch for a persistent actor's journal: the activation's on first use; on a restart of the
   * actor (supervision) a fresh activation, so the epoch the journal records strictly increases.
   */
  async supplyEpoch(identityText: string): Promise<bigint> {
    const entry = this.entries.get(identityText);
    const ticket = entry?.ticket;
    if (entry === undefined || ticket === undefined) {
      throw new FailedPreconditionError(`no activation of ${identityText} on this node`);
    }
    if (!entry.epochUsed && ticket.epoch !== undefined) {
      entry.epochUsed = true;
      return ticket.epoch;
    }
    const correlationId = `restart:${identityText}`;
    await this.options.store.release(ticket, correlationId);
    const fresh = await this.options.store.acquire(entry.identity, Date.now() + 5000, correlationId);
    if (fresh.epoch === undefined)
      throw new FailedPreconditionError('the activation store supplies no epochs');
    entry.ticket = fresh;
    return fresh.epoch;
  }

  private activate(id: Identity, deadlineAt: number, correlationId: string): Promise<ActorRef<unknown>> {
    const kind = this.options.kindOf(id.kind);
    if (kind === undefined) {
      return Promise.reject(new UnavailableError(`kind ${id.kind} is not registered on this node`));
    }
    // `ready` exists before the entry is visible: a passivation that starts while the activation is
    // still in its synchronous part (a fencing announced from inside `acquire`) must wait for the
    // activation's outcome, not for a placeholder that resolves with no actor.
    let settle: { resolve: (ref: ActorRef<unknown>) => void; reject: (error: unknown) => void } | undefined;
    const ready = new Promise<ActorRef<unknown>>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const entry: Entry = {
      identity: id,
      state: 'activating',
      ready,
      ref: undefined,
      ticket: undefined,
      epochUsed: false,
      done: undefined,
      lastActive: performance.now(),
    };
    this.entries.set(id.text, entry);
    this.options.metrics.localActors.set(this.entries.size);
    const started = performance.now();
    const run = async (): Promise<ActorRef<unknown>> => {
      try {
        entry.ticket = await this.options.store.acquire(id, deadlineAt, correlationId);
        if (entry.state === 'passivating') {
          throw new UnavailableError(`${id.text} was passivated while activating`, {
            details: { identity: id.text, correlationId },
          });
        }
        const ref = this.options.system.spawn(kind.actor, id.key);
        entry.ref = ref;
        entry.state = 'active';
        entry.lastActive = performance.now();
        this.options.metrics.activations.inc({ kind: id.kind, result: 'activated' });
        this.options.metrics.activationSeconds.observe((performance.now() - started) / 1000);
        this.options.onActivated(this.describe(entry));
        return ref;
      } catch (error) {
        this.options.metrics.activations.inc({ kind: id.kind, result: 'failed' });
        if (entry.ticket !== undefined && entry.ref === undefined) {
          await this.options.store.release(entry.ticket, correlationId);
        }
        if (this.entries.get(id.text) === entry && entry.done === undefined) {
          this.entries.delete(id.text);
          this.options.metrics.localActors.set(this.entries.size);
        }
        this.options.logger.info({ err: error, identity: id.text, correlationId }, 'activation failed');
        throw error;
      }
    };
    const { resolve, reject } = settle as NonNullable<typeof settle>;
    run().then(resolve, reject);
    return ready;
  }

  private describe(entry: Entry): LocalActivation {
    return {
      identity: entry.identity,
      nodeId: this.options.nodeId,
      epoch: entry.ticket?.epoch,
      at: Date.now(),
    };
  }
}
