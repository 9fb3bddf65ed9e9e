export { ActorSystem, createActorSystem } from './actor-system.ts';
export type { ActorSystemOptions, Escalation } from './actor-system.ts';
export { defineActor } from './actor-definition.ts';
export type {
  ActorContext,
  ActorDefinition,
  ActorSpec,
  InitContext,
  InitialState,
  Passivate,
  PassivateContext,
  Receive,
  RequestOptions,
  SendOptions,
} from './actor-definition.ts';
export { ActorRef } from './actor-ref.ts';
export { ReplyTo } from './reply-to.ts';
export { identityOf, validateKind } from './identity.ts';
export type { Identity } from './identity.ts';
export { DeadLetterReason } from './dead-letter.ts';
export { Terminated, TerminationCause } from './death-watch.ts';
export type { TerminatedMapper, WatchArgs } from './death-watch.ts';
export type { DeadLetter, DeadLetterListener } from './dead-letter.ts';
export { DEFAULT_MAILBOX } from './mailbox.ts';
export type { MailboxOptions } from './mailbox.ts';
export { EscalatedFailureError, StaleEpochError } from './errors.ts';
export { Directive } from './supervision/directive.ts';
export { DEFAULT_BACKOFF, backoffDelayMs } from './supervision/backoff.ts';
export type { BackoffOptions } from './supervision/backoff.ts';
export { DEFAULT_INTENSITY, RestartWindow } from './supervision/restart-window.ts';
export type { RestartGrant, RestartIntensity } from './supervision/restart-window.ts';
export { restartAlways, supervisionPolicy } from './supervision/supervision-policy.ts';
export type { SupervisionOptions, SupervisionPolicy } from './supervision/supervision-policy.ts';
export { jsonCodec } from './persistence/codec.ts';
export type { Codec } from './persistence/codec.ts';
export { incrementingEpochs, suppliedEpochs } from './persistence/epoch-source.ts';
export type { EpochSource } from './persistence/epoch-source.ts';
export { ActorJournal } from './persistence/journal.ts';
export type { JournalEntry, StoredEvent, StoredSnapshot } from './persistence/journal.ts';
export { definePersistentActor } from './persistence/persistent-actor.ts';
export type { Persisted, PersistentActorSpec, PersistentEffect } from './persistence/persistent-actor.ts';
export type { ActorPersistence } from './persistence/actor-persistence.ts';
export { JournalGroupCommit } from './persistence/group-commit.ts';
export type { JournalGroupCommitOptions } from './persistence/group-commit.ts';
