import { FailedPreconditionError, InvalidArgumentError } from '../../../domain/errors.ts';
import type { ActorContext, ActorDefinition, InitContext, PassivateContext } from '../actor-definition.ts';
import { defineActor } from '../actor-definition.ts';
import { StaleEpochError } from '../errors.ts';
import type { MailboxBound, MailboxOptions } from '../mailbox.ts';
import type { RefTarget } from '../actor-ref.ts';
import type { ReplyTo } from '../reply-to.ts';
import { Directive } from '../supervision/directive.ts';
import { restartAlways } from '../supervision/supervision-policy.ts';
import type { SupervisionOptions } from '../supervision/supervision-policy.ts';
import { AppendPipeline } from './append-pipeline.ts';
import type { Codec } from './codec.ts';
import { ActorJournal } from './journal.ts';
import type { JournalEntry } from './journal.ts';

/** What a persistent actor's `receive` returns. */
export interface PersistentEffect<State, Event> {
  /** Appended to the journal (one statement, all or nothing) before they are applied. */
  readonly events?: readonly Event[];
  /** Runs once the events are durable and applied, with the new state: reply here. */
  readonly reply?: (state: State) => void;
}

export interface PersistentActorSpec<State, Command, Event> {
  readonly kind: string;
  /** The state before the first event (used when there is no snapshot). */
  readonly initialState: (key: string) => State;
  /** Decides on a command; it must not change `state` (events do, through applyEvent). */
  readonly receive: (
    state: State,
    command: Command,
    ctx: ActorContext<Command>,
  ) => PersistentEffect<State, Event> | Promise<PersistentEffect<State, Event>>;
  /** Pure and deterministic: recovery replays the journal through it. */
  readonly applyEvent: (state: State, event: Event) => State;
  /** Stored in `event_type`, e.g. `incremented`. */
  readonly eventType: (event: Event) => string;
  readonly events: Codec<Event>;
  readonly snapshots: Codec<State>;
  /** Writes a snapshot after every N events, and on passivation when events came since; 0 never snapshots. */
  readonly snapshotEvery: number;
  /** StaleEpochError always stops the actor, whatever `decide` says. */
  readonly supervision?: SupervisionOptions;
  readonly mailbox?: Partial<MailboxOptions>;
  /**
   * Pipelined journal writes (see AppendPipeline): the actor decides and applies the next commands
   * while its previous events are being written, and their events go out together in the next
   * append. Each command's `reply` still runs only once its events, and all before them, are
   * durable. What `receive` itself sends or answers may reflect events not yet durable. Absent:
   * each command waits for its own append before the next is received.
   */
  readonly pipeline?: PipelineOptions<Command>;
}

export interface PipelineOptions<Command> {
  /** The caller to fail when the command's events cannot be written (its request's reply address). */
  readonly replyToOf: (command: Command) => ReplyTo<never> | undefined;
}

/** The state the kernel keeps for a persistent actor: the user's state and its journal position. */
export interface Persisted<State> {
  readonly state: State;
  /** The sequence number of the last event applied. */
  readonly sequenceNr: number;
  readonly epoch: bigint;
  readonly eventsSinceSnapshot: number;
  readonly journal: ActorJournal;
  /** Pipelined kinds: the writes of this activation. */
  readonly pipeline?: AppendPipeline;
}

/**
 * Defines an event-sourced actor kind. Activation takes a new epoch from the system's epoch source,
 * loads the latest snapshot and replays the events after it. A command's events are appended under
 * the epoch fence before they are applied; a refused append (StaleEpochError) stops the actor.
 */
export function definePersistentActor<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
): ActorDefinition<Persisted<State>, Command> {
  if (!Number.isInteger(spec.snapshotEvery) || spec.snapshotEvery < 0) {
    throw new InvalidArgumentError('snapshotEvery', `must be an integer >= 0, got ${spec.snapshotEvery}`);
  }
  const decide = spec.supervision?.decide ?? restartAlways;
  const definition = defineActor<Persisted<State>, Command>({
    kind: spec.kind,
    initialState: (key, ctx) => recover(spec, key, ctx),
    receive: (persisted, command, ctx) =>
      persisted.pipeline === undefined
        ? handleCommand(spec, persisted, command, ctx)
        : handlePipelined(spec, persisted, persisted.pipeline, command, ctx),
    passivate: (persisted, ctx) => snapshotOnPassivation(spec, persisted, ctx),
    supervision: {
      ...spec.supervision,
      decide: (error) => (error instanceof StaleEpochError ? Directive.STOP : decide(error)),
    },
    ...(spec.mailbox === undefined ? {} : { mailbox: spec.mailbox }),
  });
  return Object.freeze({ ...definition, persistent: true });
}

async function recover<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
  key: string,
  ctx: InitContext,
): Promise<Persisted<State>> {
  const persistence = ctx.persistence;
  if (persistence === undefined) {
    throw new FailedPreconditionError(
      `persistent actor ${ctx.identity} needs an actor system with persistence`,
    );
  }
  const journal = new ActorJournal(persistence.pool, persistence.groupCommit);
  const epoch = await persistence.epochs.acquire(ctx.identity, persistence.pool);
  const snapshot = await journal.latestSnapshot(ctx.identity);
  let state = snapshot === undefined ? spec.initialState(key) : spec.snapshots.decode(snapshot.payload);
  let sequenceNr = snapshot?.sequenceNr ?? 0;
  let replayed = 0;
  for await (const stored of journal.eventsAfter(ctx.identity, sequenceNr)) {
    state = spec.applyEvent(state, spec.events.decode(stored.payload));
    sequenceNr = stored.sequenceNr;
    replayed += 1;
  }
  ctx.logger.info(
    { epoch: String(epoch), sequenceNr, snapshotSequenceNr: snapshot?.sequenceNr ?? null, replayed },
    'persistent actor recovered',
  );
  const pipeline =
    spec.pipeline === undefined
      ? undefined
      : new AppendPipeline({
          journal,
          identity: ctx.identity,
          epoch,
          logger: ctx.logger,
        });
  return {
    state,
    sequenceNr,
    epoch,
    eventsSinceSnapshot: replayed,
    journal,
    ...(pipeline === undefined ? {} : { pipeline }),
  };
}

async function handleCommand<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
  persisted: Persisted<State>,
  command: Command,
  ctx: ActorContext<Command>,
): Promise<Persisted<State>> {
  const effect = await spec.receive(persisted.state, command, ctx);
  const events = effect.events ?? [];
  if (events.length === 0) {
    effect.reply?.(persisted.state);
    return persisted;
  }
  const entries = events.map((event) => ({
    eventType: spec.eventType(event),
    payload: spec.events.encode(event),
  }));
  await persisted.journal.append(
    ctx.identity,
    persisted.epoch,
    persisted.sequenceNr + 1,
    entries,
    ctx.correlationId,
  );
  let state = persisted.state;
  for (const event of events) state = spec.applyEvent(state, event);
  const sequenceNr = persisted.sequenceNr + events.length;
  let eventsSinceSnapshot = persisted.eventsSinceSnapshot + events.length;
  let fenced: StaleEpochError | undefined;
  if (spec.snapshotEvery > 0 && eventsSinceSnapshot >= spec.snapshotEvery) {
    try {
      await persisted.journal.writeSnapshot(
        ctx.identity,
        persisted.epoch,
        sequenceNr,
        spec.snapshots.encode(state),
      );
      eventsSinceSnapshot = 0;
    } catch (error) {
      if (!(error instanceof StaleEpochError)) {
        // A snapshot only shortens recovery; the events are durable, so go on and retry at the next event.
        ctx.logger.warn({ err: error, sequenceNr }, 'snapshot write failed; will retry after the next event');
      } else {
        fenced = error;
      }
    }
  }
  // The events are durable whatever happened to the snapshot: the caller may be told.
  effect.reply?.(state);
  if (fenced !== undefined) throw fenced;
  return { state, sequenceNr, epoch: persisted.epoch, eventsSinceSnapshot, journal: persisted.journal };
}

/**
 * A pipelined command: decided and applied at once, its events queued behind the append in
 * flight; its reply runs once they are durable. A poisoned pipeline (a failed append) fails the
 * command, so supervision restarts the actor (or stops it, for a stale epoch) and it recovers.
 * A `receive` that decides synchronously is handled synchronously (no promise per command).
 */
function handlePipelined<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
  persisted: Persisted<State>,
  pipeline: AppendPipeline,
  command: Command,
  ctx: ActorContext<Command>,
): Persisted<State> | Promise<Persisted<State>> {
  if (pipeline.failure !== undefined) return Promise.reject(pipeline.failure);
  // Supervision may restart the actor on a throw: its recovery must find no append of ours running.
  const failed = (error: unknown): Promise<never> =>
    pipeline.drained().then(() => {
      throw error;
    });
  pipeline.commandBegins(queuedBehind(ctx));
  let decided: PersistentEffect<State, Event> | Promise<PersistentEffect<State, Event>>;
  try {
    decided = spec.receive(persisted.state, command, ctx);
  } catch (error) {
    return failed(error);
  }
  if (decided instanceof Promise) {
    return decided.then((effect) => {
      try {
        return queueEffect(spec, persisted, pipeline, command, ctx, effect);
      } finally {
        pipeline.commandEnded();
      }
    }, failed);
  }
  try {
    return queueEffect(spec, persisted, pipeline, command, ctx, decided);
  } finally {
    pipeline.commandEnded();
  }
}

/**
 * Messages queued for the actor behind the one it is handling. The kernel's cell (the ref's
 * target while the actor runs) counts them in its mailbox bound, with the message in progress;
 * read structurally because ActorContext does not expose it. 0 when there is no such count.
 */
function queuedBehind<Command>(ctx: ActorContext<Command>): number {
  const target: (RefTarget & { readonly mailbox?: Pick<MailboxBound, 'depth'> }) | undefined =
    ctx.self.target;
  const depth = target?.mailbox?.depth;
  return depth === undefined ? 0 : Math.max(0, depth - 1);
}

/** Applies a decided command's events in memory and queues them (and its reply) for the journal. */
function queueEffect<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
  persisted: Persisted<State>,
  pipeline: AppendPipeline,
  command: Command,
  ctx: ActorContext<Command>,
  effect: PersistentEffect<State, Event>,
): Persisted<State> {
  const events = effect.events ?? [];
  const reply = effect.reply;
  if (events.length === 0) {
    if (reply !== undefined) {
      const state = persisted.state;
      pipeline.afterQueued(() => reply(state), spec.pipeline?.replyToOf(command) !== undefined);
    }
    return persisted;
  }
  // All encoded before any is applied: an event that cannot be encoded leaves the state untouched.
  // Each entry names its command's correlation id, so an append that joins several commands'
  // entries sends them as they are (no copy per entry, which lived as long as the append).
  const correlationId = ctx.correlationId;
  const entries: JournalEntry[] = [];
  for (const event of events)
    entries.push({ eventType: spec.eventType(event), payload: spec.events.encode(event), correlationId });
  let state = persisted.state;
  for (const event of events) state = spec.applyEvent(state, event);
  const sequenceNr = persisted.sequenceNr + events.length;
  let eventsSinceSnapshot = persisted.eventsSinceSnapshot + events.length;
  const applied = state;
  const after = reply === undefined ? undefined : () => reply(applied);
  const caller = spec.pipeline?.replyToOf(command);
  pipeline.add(
    persisted.sequenceNr + 1,
    entries,
    correlationId,
    after,
    caller === undefined ? undefined : (error) => ctx.fail(caller, error),
  );
  if (spec.snapshotEvery > 0 && eventsSinceSnapshot >= spec.snapshotEvery) {
    // Encoded now, so it is exactly the state after `sequenceNr`; written once that is durable.
    pipeline.snapshotAfterLast(sequenceNr, spec.snapshots.encode(state));
    eventsSinceSnapshot = 0;
  }
  return {
    state,
    sequenceNr,
    epoch: persisted.epoch,
    eventsSinceSnapshot,
    journal: persisted.journal,
    pipeline,
  };
}

/** A passivated actor leaves a snapshot of its last state, so the next activation replays nothing. */
async function snapshotOnPassivation<State, Command, Event>(
  spec: PersistentActorSpec<State, Command, Event>,
  persisted: Persisted<State>,
  ctx: PassivateContext,
): Promise<void> {
  if (persisted.pipeline !== undefined) {
    await persisted.pipeline.drained();
    // A failed append left a state the journal does not hold: nothing to snapshot.
    if (persisted.pipeline.failure !== undefined) return;
  }
  if (spec.snapshotEvery === 0 || persisted.eventsSinceSnapshot === 0) return;
  await persisted.journal.writeSnapshot(
    ctx.identity,
    persisted.epoch,
    persisted.sequenceNr,
    spec.snapshots.encode(persisted.state),
  );
  ctx.logger.debug({ sequenceNr: persisted.sequenceNr }, 'snapshot written on passivation');
}
