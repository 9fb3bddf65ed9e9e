import type { Logger } from '../../observability/index.ts';
import type { ActorRef } from './actor-ref.ts';
import type { WatchArgs } from './death-watch.ts';
import { validateKind } from './identity.ts';
import { DEFAULT_MAILBOX, validateMailbox } from './mailbox.ts';
import type { MailboxOptions } from './mailbox.ts';
import type { ActorPersistence } from './persistence/actor-persistence.ts';
import type { ReplyTo } from './reply-to.ts';
import { supervisionPolicy } from './supervision/supervision-policy.ts';
import type { SupervisionOptions, SupervisionPolicy } from './supervision/supervision-policy.ts';

export interface SendOptions {
  /** Default: a new one (from `send`/`request`) or the current message's (from `ctx.send`/`ctx.request`). */
  readonly correlationId?: string;
}

export interface RequestOptions extends SendOptions {
  /** The reply must arrive within this many milliseconds, or the request fails with DeadlineExceededError. */
  readonly timeoutMs: number;
}

/** What initialState sees. */
export interface InitContext {
  readonly identity: string;
  readonly kind: string;
  readonly key: string;
  /** Bound to the actor identity and the activation's correlation id. */
  readonly logger: Logger;
  readonly correlationId: string;
  /** The system's persistence, when it was given one (persistent actors require it). */
  readonly persistence: ActorPersistence | undefined;
}

/** What `receive` sees while it handles one message. */
export interface ActorContext<Msg> {
  readonly self: ActorRef<Msg>;
  readonly identity: string;
  readonly kind: string;
  readonly key: string;
  /** The current message's correlation id; `send`/`request` from here carry it on. */
  readonly correlationId: string;
  /** A child logger bound to the actor identity and the current message's correlation id. */
  readonly logger: Logger;
  send<M>(ref: ActorRef<M>, message: M, options?: SendOptions): void;
  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions,
  ): Promise<Reply>;
  /** Answers a request; a reply to a request no longer waiting is a dead letter. */
  reply<Reply>(to: ReplyTo<Reply>, value: Reply): void;
  /** Fails a request with an error (use a NinjaError so the caller sees its status). */
  fail(to: ReplyTo<never>, error: Error): void;
  /** Spawns a child: its escalated failures come to this actor, and it stops when this actor stops or restarts. */
  spawn<S, M>(definition: ActorDefinition<S, M>, key: string): ActorRef<M>;
  /** Stops an actor (usually a child); queued messages become dead letters. */
  stop(ref: ActorRef<never>): Promise<void>;
  /**
   * Death watch: once the actor behind `ref` terminates (stop, supervision stop, escalation,
   * restarts beyond the intensity), this actor receives a Terminated (or what `toMessage` makes of
   * it), once. Already not running: at once. Ends when this actor stops. Local refs only.
   */
  watch(ref: ActorRef<never>, ...toMessage: WatchArgs<Msg>): void;
  /** Stops watching `ref`; a Terminated already queued still arrives. */
  unwatch(ref: ActorRef<never>): void;
}

/** What a `passivate` hook sees. */
export interface PassivateContext {
  readonly identity: string;
  readonly kind: string;
  readonly key: string;
  readonly logger: Logger;
  readonly correlationId: string;
}

/**
 * Runs before a passivation stops the actor (after the messages queued before it), with the last
 * state: e.g. a persistent actor writes a snapshot so that its next activation recovers quickly.
 * A throw is logged; the actor stops anyway.
 */
export type Passivate<State> = (state: State, ctx: PassivateContext) => void | Promise<void>;

export type InitialState<State> = (key: string, ctx: InitContext) => State | Promise<State>;
export type Receive<State, Msg> = (
  state: State,
  message: Msg,
  ctx: ActorContext<Msg>,
) => State | Promise<State>;

/** One actor kind: a frozen, validated definition to spawn actors from. */
export interface ActorDefinition<State, Msg> {
  readonly kind: string;
  readonly initialState: InitialState<State>;
  readonly receive: Receive<State, Msg>;
  readonly supervision: SupervisionPolicy;
  readonly mailbox: MailboxOptions;
  /** True for event-sourced kinds: spawning needs a system with persistence. */
  readonly persistent: boolean;
  /** Run by `ActorSystem.passivate` before the actor stops. */
  readonly passivate?: Passivate<State>;
}

export interface ActorSpec<State, Msg> {
  readonly kind: string;
  readonly initialState: InitialState<State>;
  readonly receive: Receive<State, Msg>;
  /** Default: restart every failure, at most 5 times in 30 s, then escalate. */
  readonly supervision?: SupervisionOptions;
  /** Default capacity: 10,000 messages. */
  readonly mailbox?: Partial<MailboxOptions>;
  /** Run by `ActorSystem.passivate` before the actor stops (not by `stop`). */
  readonly passivate?: Passivate<State>;
}

/** Defines an actor kind: "receive a typed message, return the next state". */
export function defineActor<State, Msg>(spec: ActorSpec<State, Msg>): ActorDefinition<State, Msg> {
  return Object.freeze({
    kind: validateKind(spec.kind),
    initialState: spec.initialState,
    receive: spec.receive,
    supervision: supervisionPolicy(spec.supervision),
    mailbox: validateMailbox({ ...DEFAULT_MAILBOX, ...spec.mailbox }),
    persistent: false,
    ...(spec.passivate === undefined ? {} : { passivate: spec.passivate }),
  });
}
