import type { Identity } from './identity.ts';

/** The kernel's handle of a live actor behind a ref (implemented by the actor cell). */
export interface RefTarget {
  readonly stopped: boolean;
}

/**
 * Addresses an actor by identity (`kind/key`), typed by the messages it accepts. A ref stays valid
 * across stop and re-spawn of its identity: sends go to whichever activation is live, or become
 * dead letters when none is.
 */
export class ActorRef<Msg> {
  /** The activation last seen for this identity; the system re-resolves it when it stopped. */
  target: RefTarget | undefined;
  // Phantom member so that ActorRef<A> is not assignable to ActorRef<B> (nact's Ref<T> is).
  declare private readonly accepts: (message: Msg) => void;

  constructor(
    readonly identity: Identity,
    readonly kind: string,
    readonly key: string,
    /** The name of the actor system that made this ref. */
    readonly system: string,
    target: RefTarget | undefined,
  ) {
    this.target = target;
  }

  toString(): string {
    return this.identity;
  }
}
