/**
 * The one file that speaks to nact. nact 7.6.2 is our local executor: it owns each actor's mailbox
 * queue and runs one message at a time per actor, each in its own `setImmediate`. Its typings are
 * weak (message types are not enforced, `start('name')` ignores the name, `onCrash` receives an
 * untyped context), so everything nact-shaped stays here and the rest of the kernel sees only the
 * small typed surface below.
 *
 * Behaviours of nact we rely on, each pinned by test/integration/actors/nact-behaviour.test.ts:
 * - messages dispatched to one actor are handled in dispatch order, one at a time;
 * - while `onCrash` is pending the actor stays busy, so later dispatches wait in its mailbox in order;
 * - `onCrash` returning `resume` continues with the next queued message;
 * - a dispatch to a stopped actor vanishes without error (we count it as a dead letter ourselves);
 * - `afterStop` receives a copy of the mailbox as it was when the actor stopped;
 * - `start({ name })` names the system; `start('name')` does not.
 *
 * The cell gives nact a DRAIN message while it has messages queued and keeps the messages itself
 * (actor-cell.ts), so nact's mailbox holds at most a DRAIN and the cell, not `afterStop`'s copy
 * of nact's mailbox, says what a stopped actor never handled.
 */
import { dispatch, spawn, start, stop } from 'nact';
import type { Ref } from 'nact';

/** An opaque handle of one nact actor or system. */
export type NactRef = Ref<unknown>;

/** The supervision answers we give nact from `onCrash`. */
export const NactDecision = {
  RESUME: 'resume',
  STOP: 'stop',
} as const;
export type NactDecision = (typeof NactDecision)[keyof typeof NactDecision];

export interface NactActorHooks<M> {
  /** Handles one message; a throw or rejection is a crash handed to `onCrash`. */
  readonly handle: (message: M) => void | Promise<void>;
  /** Decides after a crash; the actor stays busy (later messages queue) until this settles. */
  readonly onCrash: (message: M | undefined, error: unknown) => Promise<NactDecision>;
  /** Called once after the actor stopped, with the messages left in its mailbox, oldest first. */
  readonly afterStop: (undelivered: readonly M[]) => void;
}

/** The subset of nact's supervision context we read (nact passes an untyped object). */
interface NactCrashContext {
  readonly resume: symbol;
  readonly stop: symbol;
}

/** The subset of nact's `afterStop` context we read. */
interface NactStopContext {
  readonly mailbox?: readonly { readonly message: unknown }[];
}

/** Starts a nact system under a name (passed as `{ name }`: nact ignores a plain string). */
export function startNactSystem(name: string): NactRef {
  // nact's typings only accept a plugin or a string here, but its runtime reads `name` from an
  // object argument and ignores a string; the cast makes the typings match the runtime.
  return start({ name } as unknown as string);
}

export function stopNactSystem(system: NactRef): void {
  stop(system);
}

/** Spawns a nact actor whose state is unused: our cell owns the state. */
export function spawnNactActor<M>(parent: NactRef, name: string, hooks: NactActorHooks<M>): NactRef {
  const handle = hooks.handle;
  return spawn(
    parent,
    (_state: undefined, message: M) => handle(message),
    name,
    {
      onCrash: async (message: unknown, error: unknown, ctx: unknown) => {
        const nactCtx = ctx as NactCrashContext;
        const decision = await hooks.onCrash(message as M | undefined, error);
        return decision === NactDecision.RESUME ? nactCtx.resume : nactCtx.stop;
      },
      afterStop: (_state: unknown, ctx: unknown) => {
        const mailbox = (ctx as NactStopContext).mailbox ?? [];
        hooks.afterStop(mailbox.map((entry) => entry.message as M));
      },
    }, // nact's ActorProps types onCrash with its own symbol type; the shapes above are what it calls
  );
}

/** Enqueues a message for the actor; a stopped actor drops it silently (nact's behaviour). */
export function nactDispatch<M>(actor: NactRef, message: M): void {
  dispatch(actor as Ref<M>, message);
}

/** Stops the actor and its nact children; `afterStop` follows in a later turn. */
export function stopNactActor(actor: NactRef): void {
  stop(actor);
}
