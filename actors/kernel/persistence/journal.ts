import type pg from 'pg';
import { DataLossError } from '../../../domain/errors.ts';
import { SqlState, sqlStateOf } from '../../../persistence/index.ts';
import { StaleEpochError } from '../errors.ts';
import type { JournalGroupCommit } from './group-commit.ts';
import { appendOneSql, toBuffer } from './journal-sql.ts';
import type { JournalEntry } from './journal-sql.ts';

export type { JournalEntry } from './journal-sql.ts';

export interface StoredEvent {
  readonly sequenceNr: number;
  readonly eventType: string;
  readonly payload: Uint8Array;
}

export interface StoredSnapshot {
  readonly sequenceNr: number;
  readonly payload: Uint8Array;
}

const REPLAY_PAGE = 1_000;

/**
 * The epoch-fenced event journal of actors (tables actor_journal, actor_snapshots,
 * actor_activations). Each write is ONE statement that selects the identity's activation row
 * `FOR SHARE` with the writer's epoch in its WHERE clause: a writer whose epoch is no longer
 * current inserts nothing, and the share lock makes a concurrent epoch change wait for the write
 * to commit, so a new activation that then reads the journal sees it. Sequence numbers are the
 * primary key, so a duplicate is refused too. Both refusals are StaleEpochError.
 */
export class ActorJournal {
  /** With `groupCommit`, appends share statements with other actors' (see JournalGroupCommit). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly groupCommit?: JournalGroupCommit,
  ) {}

  /**
   * Appends `entries` as sequence numbers `firstSequenceNr…`, all or nothing. `lazy`: nobody waits
   * for them, so with group commit they join another append's statement (JournalGroupCommit).
   */
  append(
    identity: string,
    epoch: bigint,
    firstSequenceNr: number,
    entries: readonly JournalEntry[],
    correlationId: string,
    lazy = false,
  ): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (this.groupCommit === undefined)
      return this.appendAlone(identity, epoch, firstSequenceNr, entries, correlationId);
    // Chained, not awaited: the async frames of append, fenced and its callback cost every append
    // of every order several hundred bytes of promises and closures (the hot path, with group commit).
    return this.groupCommit.append(identity, epoch, firstSequenceNr, entries, correlationId, lazy).then(
      (inserted) =>
        refusedUnlessAll(inserted, identity, epoch, firstSequenceNr, entries.length, correlationId),
      (error: unknown) => {
        throw fencedError(error, identity, epoch, 'append');
      },
    );
  }

  /** `append` in a statement of its own (no group commit). */
  private async appendAlone(
    identity: string,
    epoch: bigint,
    firstSequenceNr: number,
    entries: readonly JournalEntry[],
    correlationId: string,
  ): Promise<void> {
    const inserted = await this.fenced(identity, epoch, 'append', async () => {
      const statement = appendOneSql(identity, epoch, firstSequenceNr, entries, correlationId);
      return (await this.pool.query(statement)).rowCount ?? 0;
    });
    refusedUnlessAll(inserted, identity, epoch, firstSequenceNr, entries.length, correlationId);
  }

  /** Someone now waits for `identity`'s lazy appends: they go out as any other (no-op without group commit). */
  urge(identity: string): void {
    this.groupCommit?.urge(identity);
  }

  /** Writes a snapshot of the state after `sequenceNr`, under the same epoch fence. */
  async writeSnapshot(
    identity: string,
    epoch: bigint,
    sequenceNr: number,
    payload: Uint8Array,
  ): Promise<void> {
    const sql = `INSERT INTO actor_snapshots (identity, sequence_nr, epoch, payload)
      SELECT a.identity, $3::INT8, a.epoch, $4::BYTEA
      FROM actor_activations AS a
      WHERE a.identity = $1 AND a.epoch = $2
      FOR SHARE OF a`;
    const params = [identity, String(epoch), String(sequenceNr), toBuffer(payload)];
    const inserted = await this.fenced(
      identity,
      epoch,
      'snapshot',
      async () => (await this.pool.query(sql, params)).rowCount ?? 0,
    );
    if (inserted !== 1) {
      throw new StaleEpochError(
        identity,
        epoch,
        `snapshot of ${identity} refused: epoch ${epoch} is no longer the current activation`,
        { details: { sequenceNr } },
      );
    }
  }

  async latestSnapshot(identity: string): Promise<StoredSnapshot | undefined> {
    const result = await this.pool.query<{ sequence_nr: string; payload: Buffer }>(
      `SELECT sequence_nr, payload FROM actor_snapshots WHERE identity = $1 ORDER BY sequence_nr DESC LIMIT 1`,
      [identity],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : { sequenceNr: Number(row.sequence_nr), payload: row.payload };
  }

  /** The events after `sequenceNr` in order, read a page at a time; a gap is DataLossError. */
  async *eventsAfter(identity: string, sequenceNr: number): AsyncGenerator<StoredEvent> {
    let last = sequenceNr;
    for (;;) {
      const result = await this.pool.query<{ sequence_nr: string; event_type: string; payload: Buffer }>(
        `SELECT sequence_nr, event_type, payload FROM actor_journal
         WHERE identity = $1 AND sequence_nr > $2 ORDER BY sequence_nr LIMIT ${REPLAY_PAGE}`,
        [identity, String(last)],
      );
      for (const row of result.rows) {
        const next = Number(row.sequence_nr);
        if (next !== last + 1) {
          throw new DataLossError(
            `journal of ${identity} has a gap: event ${last + 1} is missing before ${next}`,
            {
              details: { identity, expected: last + 1, found: next },
            },
          );
        }
        last = next;
        yield { sequenceNr: next, eventType: row.event_type, payload: row.payload };
      }
      if (result.rows.length < REPLAY_PAGE) return;
    }
  }

  /** Runs a fenced insert; a duplicate key means another activation wrote that sequence number. */
  private async fenced(
    identity: string,
    epoch: bigint,
    what: string,
    insert: () => Promise<number>,
  ): Promise<number> {
    try {
      return await insert();
    } catch (error) {
      throw fencedError(error, identity, epoch, what);
    }
  }
}

/** A write's failure: a duplicate sequence number is another activation's write (StaleEpochError). */
function fencedError(error: unknown, identity: string, epoch: bigint, what: string): unknown {
  if (sqlStateOf(error) !== SqlState.UNIQUE_VIOLATION) return error;
  return new StaleEpochError(
    identity,
    epoch,
    `${what} for ${identity} refused: another activation already wrote that sequence number`,
    { cause: error },
  );
}

/** Throws StaleEpochError unless every event of the append went in (the epoch fence let none in). */
function refusedUnlessAll(
  inserted: number,
  identity: string,
  epoch: bigint,
  firstSequenceNr: number,
  events: number,
  correlationId: string,
): void {
  if (inserted === events) return;
  throw new StaleEpochError(
    identity,
    epoch,
    `journal append for ${identity} refused: epoch ${epoch} is no longer the current activation`,
    { details: { firstSequenceNr, events, correlationId } },
  );
}
