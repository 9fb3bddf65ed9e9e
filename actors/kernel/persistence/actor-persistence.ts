import type pg from 'pg';
import type { EpochSource } from './epoch-source.ts';

/** What persistent actors of a system write to: the database pool and where epochs come from. */
export interface ActorPersistence {
  readonly pool: pg.Pool;
  readonly epochs: EpochSource;
}
