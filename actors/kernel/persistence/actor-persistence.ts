import type pg from 'pg';
import type { EpochSource } from './epoch-source.ts';
import type { JournalGroupCommit } from './group-commit.ts';

/** What persistent actors of a system write to: the database pool and where epochs come from. */
export interface ActorPersistence {
  readonly pool: pg.Pool;
  readonly epochs: EpochSource;
  /**
   * Combines concurrent journal appends of this system's actors into shared statements (same
   * fencing and durability, fewer round trips and commits). Absent: one statement per append.
   */
  readonly groupCommit?: JournalGroupCommit;
}
