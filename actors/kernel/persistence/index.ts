// Persistence of actors: the epoch-fenced journal, group commit, epochs and codecs (docs/persistence.md).
export type { ActorPersistence } from './actor-persistence.ts';
export { jsonCodec } from './codec.ts';
export type { Codec } from './codec.ts';
export { incrementingEpochs, suppliedEpochs } from './epoch-source.ts';
export type { EpochSource } from './epoch-source.ts';
export { JournalGroupCommit } from './group-commit.ts';
export type { JournalGroupCommitOptions } from './group-commit.ts';
export { ActorJournal } from './journal.ts';
export type { JournalEntry, StoredEvent, StoredSnapshot } from './journal.ts';
export { definePersistentActor } from './persistent-actor.ts';
export type { Persisted, PersistentActorSpec, PersistentEffect } from './persistent-actor.ts';
