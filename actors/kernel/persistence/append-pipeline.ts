import { InternalError, isNinjaError } from '../../../domain/errors.ts';
import type { Logger } from '../../../observability/index.ts';
import { StaleEpochError } from '../errors.ts';
import type { ActorJournal } from './journal.ts';
import type { JournalEntry } from './journal-sql.ts';

/** Rows per append at most: segments are joined up to this many (one command's are never split). */
const MAX_ROWS_PER_APPEND = 500;

/**
 * How long a held write waits at most for the messages that were queued when it was held (they
 * are normally handled within a few event-loop turns; an actor stopped meanwhile never handles
 * them, and its events must still be written).
 */
export const HOLD_LIMIT_MS = 2;

/** What one command left to journal: its events, and what runs once they are durable. */
interface Segment {
  readonly firstSequenceNr: number;
  readonly entries: readonly JournalEntry[];
  readonly correlationId: string;
  /** Follow-ups (the command's reply, then any replies of later commands without events). */
  readonly after: (() => void)[];
  /** Fails the command's caller if the segment is never written. */
  readonly refuse: ((error: Error) => void) | undefined;
  /** A caller waits for it (its command's, or a later command's without events): not lazy. */
  urgent: boolean;
  /** A snapshot of the state right after this segment, written once the segment is durable. */
  snapshot?: SnapshotWrite;
}

interface SnapshotWrite {
  readonly sequenceNr: number;
  readonly payload: Uint8Array;
}

export interface AppendPipelineOptions {
  /** The writes it makes (an ActorJournal). */
  readonly journal: Pick<ActorJournal, 'append' | 'writeSnapshot'> & Partial<Pick<ActorJournal, 'urge'>>;
  readonly identity: string;
  readonly epoch: bigint;
  readonly logger: Logger;
}

/**
 * The journal writes of ONE pipelined persistent actor. Commands are decided and applied in
 * memory at once; their events queue here and are written in order, one append at a time, each
 * append carrying every command that queued while the previous one was being written. A command's
 * follow-ups run only once its events (and all before them) are durable, so nothing leaves the
 * actor on the strength of an event that is not on disk. A failed append fails the callers of
 * every queued command and poisons the pipeline: the actor's next message throws the failure, so
 * supervision restarts it (or stops it, for a stale epoch) and recovery rebuilds the state from
 * what the journal holds.
 */
export class AppendPipeline {
  readonly #o: AppendPipelineOptions;
  readonly #queue: Segment[] = [];
  /** The segments of the append being written (their follow-ups have not run yet). */
  #inFlight: readonly Segment[] = [];
  #writing = false;
  /** The append in flight was sent lazy (no caller waited for any of its segments). */
  #inFlightLazy = false;
  /** The snapshot being written (beside the appends), and the newest one waiting for it. */
  #snapshotting: Promise<void> | undefined;
  #nextSnapshot: SnapshotWrite | undefined;
  #failure: Error | undefined;
  #drained: (() => void)[] = [];
  /** Commands still to end before a held write starts (0: not holding). */
  #holdFor = 0;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AppendPipelineOptions) {
    this.#o = options;
  }

  /** Set once an append failed or a follow-up threw: the actor must not go on with this state. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Queues one command's events (sequence numbers from `firstSequenceNr`) and their follow-up.
   * A command with a caller (`refuse`) is urgent; the appends of commands without one (a venue's
   * acknowledgement, say) are lazy: with group commit they join another actor's statement instead
   * of costing a commit of their own, unless an urgent command queues behind them.
   */
  add(
    firstSequenceNr: number,
    entries: readonly JournalEntry[],
    correlationId: string,
    after: (() => void) | undefined,
    refuse: ((error: Error) => void) | undefined,
  ): void {
    const urgent = refuse !== undefined;
    this.#queue.push({
      firstSequenceNr,
      entries,
      correlationId,
      after: after === undefined ? [] : [after],
      refuse,
      urgent,
    });
    if (urgent) this.#urge();
    if (!this.#writing && this.#holdFor === 0) this.#run();
  }

  /** A caller waits behind the append in flight: if it went out lazy, it must not wait any more. */
  #urge(): void {
    if (!this.#inFlightLazy) return;
    this.#inFlightLazy = false;
    this.#o.journal.urge?.(this.#o.identity);
  }

  /**
   * A command begins, with `queuedBehind` messages already queued for the actor after it. When
   * nothing is being written and messages are queued, the write of what this command and those
   * messages queue is held until they have all been handled (`commandEnded`), so that it goes out
   * as ONE append: e.g. a venue's acknowledgement and the expiry right behind it. Held at most
   * HOLD_LIMIT_MS; `drained()` starts it at once. While an append is in flight nothing is held:
   * what queues meanwhile goes out together anyway.
   */
  commandBegins(queuedBehind: number): void {
    if (this.#holdFor > 0 || queuedBehind <= 0 || this.#writing) return;
    this.#holdFor = queuedBehind + 1;
    // One timer per pipeline, re-armed (refresh) for each hold and left to run out when a hold ends
    // early (it then finds nothing held): a new Timeout and closure per hold cost about 330 bytes
    // per order in the order-path bench, most orders' writes being held once.
    if (this.#holdTimer === undefined) this.#holdTimer = setTimeout(this.#holdExpired, HOLD_LIMIT_MS);
    else this.#holdTimer.refresh();
  }

  readonly #holdExpired = (): void => {
    if (this.#holdFor > 0) this.#release();
  };

  /** The command begun last has been handled (its events, if any, are queued). */
  commandEnded(): void {
    if (this.#holdFor === 0) return;
    this.#holdFor -= 1;
    if (this.#holdFor === 0) this.#release();
  }

  /** Starts the held write, if any. */
  #release(): void {
    this.#holdFor = 0;
    if (!this.#writing && this.#queue.length > 0) this.#run();
  }

  /** Writes `payload` as the snapshot after `sequenceNr` once the last queued segment is durable. */
  snapshotAfterLast(sequenceNr: number, payload: Uint8Array): void {
    const last = this.#last();
    if (last !== undefined) last.snapshot = { sequenceNr, payload };
  }

  /**
   * Runs `followUp` once everything queued so far is durable (at once when nothing is). `urgent`:
   * a caller waits for it, so nothing before it stays lazy.
   */
  afterQueued(followUp: () => void, urgent = true): void {
    const last = this.#last();
    if (last === undefined) {
      followUp();
      return;
    }
    last.after.push(followUp);
    if (!urgent) return;
    for (const segment of this.#queue) segment.urgent = true;
    this.#urge();
  }

  /** The newest segment whose follow-ups have not run: queued, else being written. */
  #last(): Segment | undefined {
    return this.#queue.at(-1) ?? this.#inFlight.at(-1);
  }

  /** Resolves once nothing is queued or being written, snapshots included (whatever the outcome). */
  drained(): Promise<void> {
    this.#release();
    for (const segment of this.#queue) segment.urgent = true;
    this.#urge();
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #idle(): boolean {
    return !this.#writing && this.#queue.length === 0 && this.#snapshotting === undefined;
  }

  #settleDrained(): void {
    if (this.#idle()) for (const resolve of this.#drained.splice(0)) resolve();
  }

  /**
   * Writes what is queued, one append at a time, until nothing is (or the pipeline failed). Chained
   * callbacks made once per pipeline, not an async loop: an async function's frame, its promise and
   * the promises of its awaits cost every write of an order's events several hundred bytes.
   */
  #run(): void {
    this.#writing = true;
    this.#next();
  }

  /** Sends the oldest queued segments as one append, or ends the run. */
  #next(): void {
    if (this.#queue.length === 0 || this.#failure !== undefined) {
      this.#endRun();
      return;
    }
    const batch = this.#take();
    const first = batch[0];
    if (first === undefined) {
      this.#endRun();
      return;
    }
    this.#inFlight = batch;
    const entries = batch.length === 1 ? first.entries : joinEntries(batch);
    this.#inFlightLazy = !batch.some((s) => s.urgent);
    let written: Promise<void>;
    try {
      written = this.#o.journal.append(
        this.#o.identity,
        this.#o.epoch,
        first.firstSequenceNr,
        entries,
        first.correlationId,
        this.#inFlightLazy,
      );
    } catch (error) {
      this.#notWritten(error);
      return;
    }
    written.then(this.#written, this.#notWritten);
  }

  /** The append in flight is durable: its follow-ups run, then its snapshots, then the next append. */
  readonly #written = (): void => {
    this.#inFlightLazy = false;
    const batch = this.#inFlight;
    // Follow-ups may queue more (replies that send); the batch stays "last" until they ran.
    for (const segment of batch) {
      for (let i = 0; i < segment.after.length; i++) {
        const followUp = segment.after[i];
        if (followUp !== undefined) this.#runFollowUp(followUp);
      }
    }
    this.#inFlight = [];
    for (const segment of batch) {
      if (segment.snapshot !== undefined) this.#snapshot(segment.snapshot);
    }
    this.#next();
  };

  readonly #notWritten = (error: unknown): void => {
    this.#inFlightLazy = false;
    const batch = this.#inFlight;
    this.#inFlight = [];
    this.#poison(error, batch);
    this.#endRun();
  };

  #endRun(): void {
    this.#writing = false;
    this.#settleDrained();
  }

  /**
   * Writes a snapshot whose events are durable BESIDE the appends: the next append does not wait
   * for it (a snapshot is a statement and a commit of its own, and the commands queued meanwhile
   * would). One at a time; while one is written, only the newest next one is kept (an older one
   * would be superseded at once).
   */
  #snapshot(snapshot: SnapshotWrite): void {
    if (this.#snapshotting !== undefined) {
      this.#nextSnapshot = snapshot;
      return;
    }
    this.#snapshotting = this.#writeSnapshot(snapshot).finally(() => {
      this.#snapshotting = undefined;
      const next = this.#nextSnapshot;
      this.#nextSnapshot = undefined;
      if (next !== undefined && this.#failure === undefined) this.#snapshot(next);
      else this.#settleDrained();
    });
  }

  /** The oldest segments, whole, up to MAX_ROWS_PER_APPEND rows (always at least one). */
  #take(): Segment[] {
    let rows = 0;
    let count = 0;
    for (const segment of this.#queue) {
      if (count > 0 && rows + segment.entries.length > MAX_ROWS_PER_APPEND) break;
      rows += segment.entries.length;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  #runFollowUp(followUp: () => void): void {
    try {
      followUp();
    } catch (error) {
      // As when a reply throws in an unpipelined actor: the events are durable, the actor restarts.
      this.#o.logger.error({ err: error }, 'follow-up of journaled events threw; the actor will restart');
      this.#failure ??= asError(error);
    }
  }

  async #writeSnapshot(snapshot: SnapshotWrite): Promise<void> {
    try {
      await this.#o.journal.writeSnapshot(
        this.#o.identity,
        this.#o.epoch,
        snapshot.sequenceNr,
        snapshot.payload,
      );
    } catch (error) {
      if (error instanceof StaleEpochError) {
        this.#poison(error, []);
        return;
      }
      // A snapshot only shortens recovery; the events are durable, so go on.
      this.#o.logger.warn(
        { err: error, sequenceNr: snapshot.sequenceNr },
        'snapshot write failed; the next one will be taken later',
      );
    }
  }

  /** No queued segment will ever be written: fail their callers, remember why. */
  #poison(error: unknown, batch: readonly Segment[]): void {
    const failure = asError(error);
    this.#failure ??= failure;
    const lost = [...batch, ...this.#queue.splice(0)];
    this.#o.logger.error(
      { err: failure, commands: lost.length },
      'journal append failed; its commands are refused and the actor will recover from the journal',
    );
    const answer = isNinjaError(failure)
      ? failure
      : new InternalError(`journal append of ${this.#o.identity} failed`, { cause: failure });
    for (const segment of lost) segment.refuse?.(answer);
  }
}

/**
 * The entries of several segments as one append, each naming its own command's correlation id: an
 * entry that names none gets a copy that does (the persistent actor's entries already name theirs).
 */
function joinEntries(batch: readonly Segment[]): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const segment of batch) {
    for (const entry of segment.entries) {
      entries.push(
        entry.correlationId === undefined ? { ...entry, correlationId: segment.correlationId } : entry,
      );
    }
  }
  return entries;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
