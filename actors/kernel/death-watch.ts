import type { Logger } from '../../observability/index.ts';
import type { ActorRef } from './actor-ref.ts';

/** Why a watched actor terminated. */
export const TerminationCause = {
  /** Stopped on purpose: `stop`, its parent stopping, passivation, system shutdown. */
  stopped: 'stopped',
  /** Stopped by supervision: a STOP directive, an escalation, or restarts beyond the intensity. */
  failed: 'failed',
  /** It was not running when the watch began (never spawned, or already stopped). */
  notRunning: 'not-running',
} as const;
export type TerminationCause = (typeof TerminationCause)[keyof typeof TerminationCause];

/** What a watcher receives once, when an actor it watches has terminated. */
export class Terminated {
  readonly identity: string;

  constructor(
    /** The watched ref (it may be spawned again later: a new activation, not watched). */
    readonly ref: ActorRef<never>,
    readonly cause: TerminationCause,
  ) {
    this.identity = ref.identity;
  }
}

/** Turns the Terminated notice into a message of the watcher's own type. */
export type TerminatedMapper<Msg> = (terminated: Terminated) => Msg;

/**
 * `ctx.watch`'s optional argument: an actor whose message type includes Terminated may omit the
 * mapper and receives the Terminated itself; any other must say which of its messages to receive.
 */
export type WatchArgs<Msg> = [Terminated] extends [Msg]
  ? [toMessage?: TerminatedMapper<Msg>]
  : [toMessage: TerminatedMapper<Msg>];

/** The side of an actor cell that death watch needs. */
export interface Watchable {
  readonly stopped: boolean;
  readonly self: ActorRef<unknown>;
  readonly logger: Logger;
  readonly deathWatch: DeathWatch;
  /** Queues a Terminated message for this actor (never refused by the mailbox bound). */
  deliverTerminated(message: unknown): void;
}

const asIs: TerminatedMapper<unknown> = (terminated) => terminated;

/**
 * One actor's watch links: who watches it (told once when it terminates) and whom it watches
 * (links dropped when it terminates itself, so a dead watcher is never told).
 */
export class DeathWatch {
  private watchers: Map<Watchable, TerminatedMapper<unknown>> | undefined;
  private watching: Map<string, Watchable> | undefined;

  constructor(private readonly owner: Watchable) {}

  /** Watches `target` (the live actor behind `ref`, or undefined when none is): told at once if none. */
  watch(
    ref: ActorRef<never>,
    target: Watchable | undefined,
    toMessage: TerminatedMapper<unknown> = asIs,
  ): void {
    if (target === this.owner) return;
    if (target === undefined || target.stopped) {
      this.tell(toMessage, new Terminated(ref, TerminationCause.notRunning));
      return;
    }
    this.unwatch(ref);
    (target.deathWatch.watchers ??= new Map()).set(this.owner, toMessage);
    (this.watching ??= new Map()).set(ref.identity, target);
  }

  /** Stops watching; a Terminated already queued still arrives. */
  unwatch(ref: ActorRef<never>): void {
    const target = this.watching?.get(ref.identity);
    if (target === undefined) return;
    this.watching?.delete(ref.identity);
    target.deathWatch.watchers?.delete(this.owner);
  }

  /** The owner terminated: tell each live watcher once, and drop the owner's own watches. */
  terminated(cause: TerminationCause): void {
    const watchers = this.watchers;
    this.watchers = undefined;
    for (const target of this.watching?.values() ?? []) target.deathWatch.watchers?.delete(this.owner);
    this.watching = undefined;
    if (watchers === undefined) return;
    const notice = new Terminated(this.owner.self, cause);
    for (const [watcher, toMessage] of watchers) {
      const links = watcher.deathWatch.watching;
      // Only this incarnation's link: the watcher may already watch a newer one of the identity.
      if (links?.get(notice.identity) === this.owner) links.delete(notice.identity);
      if (!watcher.stopped) watcher.deathWatch.tell(toMessage, notice);
    }
  }

  private tell(toMessage: TerminatedMapper<unknown>, notice: Terminated): void {
    let message: unknown;
    try {
      message = toMessage(notice);
    } catch (error) {
      this.owner.logger.error(
        { err: error, watched: notice.identity, cause: notice.cause },
        'the Terminated mapper threw; the notice is lost',
      );
      return;
    }
    this.owner.deliverTerminated(message);
  }
}
