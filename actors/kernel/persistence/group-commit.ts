import type pg from 'pg';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../../observability/index.ts';
import type { Counter, Histogram } from 'prom-client';
import type { JournalEntry } from './journal-sql.ts';
import { appendOneSql, toBuffer } from './journal-sql.ts';

/** One actor's append waiting for a batch: all its entries go into the same statement. */
interface PendingAppend {
  readonly identity: string;
  readonly epoch: bigint;
  readonly firstSequenceNr: number;
  readonly entries: readonly JournalEntry[];
  readonly correlationId: string;
  /** Nobody waits for it: it goes with the next statement an urgent append sends (at most lazyMs later). */
  lazy: boolean;
  /** performance.now() when it was queued. */
  readonly queuedAt: number;
  readonly resolve: (inserted: number) => void;
  readonly reject: (error: unknown) => void;
  /** The epoch as the statement sends it and RETURNING gives it back. */
  readonly epochText: string;
  /** Its rows that a batch statement returned (counted on the append itself: no map per statement). */
  inserted: number;
}

export interface JournalGroupCommitOptions {
  readonly pool: pg.Pool;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  /** Rows per statement at most (6 parameters each; PostgreSQL allows 65,535). Default 1,000. */
  readonly maxRows?: number;
  /** Batches being written at once, each on its own pooled connection. Default 2. */
  readonly maxInFlight?: number;
  /**
   * How long (ms) appends that find a statement in flight wait for it to commit before they take
   * another connection: it usually commits first, and they then go out together in the next
   * statement (one commit, one WAL flush for all). Default 1; 0 sends them at once while fewer than
   * `maxInFlight` statements are in flight. A full statement (`maxRows`) never waits.
   */
  readonly gatherMs?: number;
  /**
   * How long (ms) at most an append nobody waits for (`lazy`) waits for a statement that an urgent
   * append sends, which it then joins: it sends no statement (no commit, no WAL flush) of its own
   * unless none comes. Default 2; 0 writes lazy appends as any other.
   */
  readonly lazyMs?: number;
  /**
   * Told of every statement once it settled: when it was sent (performance.now()), how long it
   * took to commit as this process saw it (ms), and the appends it carried. For benches that line
   * commit times up with what else happened (bench/order-path.bench.ts, NINJA_BENCH_TIMELINE).
   */
  readonly onStatement?: (sentAt: number, ms: number, appends: number) => void;
}

interface GroupCommitMetrics {
  readonly batches: Counter<'outcome'>;
  readonly batchAppends: Histogram;
  readonly fallbacks: Counter;
  readonly lazy: Counter<'outcome'>;
}

const MAX_PARAMETERS = 65_535;
const PARAMETERS_PER_ROW = 6;

/**
 * Group commit for the actor journal: appends from different actors that arrive while earlier
 * batches are being written are combined into ONE multi-row INSERT (one round trip, one commit).
 * The fence stays per row: each row joins the activation row of its own identity and epoch, so a
 * stale writer's rows are filtered out by the statement while the others' are inserted; RETURNING
 * tells each appender how many of its rows went in. An appender's promise settles only after the
 * statement has committed. When a batch fails (e.g. one writer's duplicate sequence number), it
 * committed nothing, and each of its appends is retried alone so that only the culprit fails.
 * With nothing in flight an append is written at once: no added latency when the load is light.
 * Appends that find a statement in flight wait for its commit, at most gatherMs, before they take
 * a second connection (classic group commit: one commit and WAL flush for all of them).
 */
export class JournalGroupCommit {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #metrics: GroupCommitMetrics;
  readonly #maxRows: number;
  readonly #maxInFlight: number;
  readonly #gatherMs: number;
  readonly #lazyMs: number;
  readonly #onStatement: JournalGroupCommitOptions['onStatement'];
  #queue: PendingAppend[] = [];
  /** Rows of the queued appends. */
  #queuedRows = 0;
  #inFlight = 0;
  /** Queued appends that are not lazy. */
  #urgent = 0;
  #scheduled = false;
  /** When the oldest queued append that found a statement in flight began to wait (performance.now()). */
  #gatheringSince: number | undefined;
  /** Armed while the queue waits (for gatherMs, or lazyMs when only lazy appends are queued). */
  #waitTimer: ReturnType<typeof setTimeout> | undefined;
  #waitingUntil = 0;

  constructor(options: JournalGroupCommitOptions) {
    const maxRows = options.maxRows ?? 1_000;
    if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows * PARAMETERS_PER_ROW > MAX_PARAMETERS) {
      throw new InvalidArgumentError(
        'maxRows',
        `must be an integer from 1 to ${Math.floor(MAX_PARAMETERS / PARAMETERS_PER_ROW)}, got ${maxRows}`,
      );
    }
    const maxInFlight = options.maxInFlight ?? 2;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new InvalidArgumentError('maxInFlight', `must be an integer >= 1, got ${maxInFlight}`);
    }
    const gatherMs = options.gatherMs ?? 1;
    if (!Number.isFinite(gatherMs) || gatherMs < 0) {
      throw new InvalidArgumentError('gatherMs', `must be a number >= 0, got ${gatherMs}`);
    }
    this.#gatherMs = gatherMs;
    const lazyMs = options.lazyMs ?? 2;
    if (!Number.isFinite(lazyMs) || lazyMs < 0) {
      throw new InvalidArgumentError('lazyMs', `must be a number >= 0, got ${lazyMs}`);
    }
    this.#lazyMs = lazyMs;
    this.#onStatement = options.onStatement;
    this.#pool = options.pool;
    this.#logger = options.logger.child({ component: 'journal-group-commit' });
    this.#maxRows = maxRows;
    this.#maxInFlight = maxInFlight;
    this.#metrics = {
      batches: options.metrics.counter({
        name: 'ninja_journal_batches_total',
        help: 'Journal statements that combined several appends, by outcome (committed, or failed and retried append by append)',
        labelNames: ['outcome'],
      }),
      batchAppends: options.metrics.histogram({
        name: 'ninja_journal_batch_appends',
        help: 'Actor appends combined into one journal statement',
        buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      }),
      fallbacks: options.metrics.counter({
        name: 'ninja_journal_batch_fallback_appends_total',
        help: 'Appends retried alone after the batch holding them failed',
      }),
      lazy: options.metrics.counter({
        name: 'ninja_journal_lazy_appends_total',
        help: 'Appends nobody waited for, by how they went out: joined (a statement an urgent append sent) or alone (none came within lazyMs)',
        labelNames: ['outcome'],
      }),
    };
  }

  /**
   * Appends under the epoch fence; resolves with the rows inserted (0: fenced) once committed.
   * `lazy`: nobody waits for it (e.g. a venue's acknowledgement that no caller is answered on), so
   * it does not send a statement of its own while an urgent append may soon send one (lazyMs).
   */
  append(
    identity: string,
    epoch: bigint,
    firstSequenceNr: number,
    entries: readonly JournalEntry[],
    correlationId: string,
    lazy = false,
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const queuedAt = performance.now();
      this.#queue.push({
        identity,
        epoch,
        firstSequenceNr,
        entries,
        correlationId,
        lazy,
        queuedAt,
        resolve,
        reject,
        epochText: String(epoch),
        inserted: 0,
      });
      this.#queuedRows += entries.length;
      if (!lazy) this.#queuedUrgent();
      this.#schedulePump();
    });
  }

  /** Someone now waits for `identity`'s queued lazy appends (e.g. its next command's caller): no more lazy. */
  urge(identity: string): void {
    let urged = false;
    for (const pending of this.#queue) {
      if (!pending.lazy || pending.identity !== identity) continue;
      pending.lazy = false;
      this.#queuedUrgent();
      urged = true;
    }
    if (urged) this.#schedulePump();
  }

  #queuedUrgent(): void {
    this.#urgent += 1;
    // Its wait for the statements in flight starts now (gatherMs counts from the oldest queued).
    if (this.#inFlight > 0) this.#gatheringSince ??= performance.now();
  }

  /** Appends made in the same tick join one batch. */
  #schedulePump(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /**
   * Sends what is queued while fewer than maxInFlight statements are in flight. With one in flight,
   * the queue goes out only once it has waited gatherMs (or fills a statement): the statement in
   * flight usually commits first, and then everything queued goes out at once, in one statement.
   */
  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const oldest = this.#queue[0];
      if (this.#urgent === 0 && oldest !== undefined && this.#queuedRows < this.#maxRows) {
        // Only lazy appends: they wait for an urgent one's statement (or the one in flight to
        // commit, which pumps again), at most lazyMs from the oldest.
        if (this.#waitUntil(oldest.queuedAt + this.#lazyMs)) return;
      }
      if (this.#inFlight > 0 && this.#gatherMs > 0 && this.#queuedRows < this.#maxRows) {
        const since = (this.#gatheringSince ??= performance.now());
        if (this.#waitUntil(since + this.#gatherMs)) return;
      }
      const batch = this.#take();
      this.#inFlight += 1;
      const sentAt = this.#onStatement === undefined ? 0 : performance.now();
      void this.#write(batch).finally(() => {
        this.#inFlight -= 1;
        this.#onStatement?.(sentAt, performance.now() - sentAt, batch.length);
        this.#pump();
      });
    }
    if (this.#queue.length === 0) this.#stopGathering();
  }

  /** True while `at` (performance.now()) is ahead: the queue waits, and is pumped again then. */
  #waitUntil(at: number): boolean {
    const left = at - performance.now();
    if (left <= 0) return false;
    if (this.#waitTimer === undefined || at < this.#waitingUntil) {
      clearTimeout(this.#waitTimer);
      this.#waitingUntil = at;
      this.#waitTimer = setTimeout(() => {
        this.#waitTimer = undefined;
        this.#pump();
      }, left);
    }
    return true;
  }

  #stopGathering(): void {
    this.#gatheringSince = undefined;
    if (this.#waitTimer !== undefined) {
      clearTimeout(this.#waitTimer);
      this.#waitTimer = undefined;
    }
  }

  /** The oldest appends whose rows fit one statement (always at least one append, kept whole). */
  #take(): PendingAppend[] {
    let rows = 0;
    let count = 0;
    for (const pending of this.#queue) {
      if (count > 0 && rows + pending.entries.length > this.#maxRows) break;
      rows += pending.entries.length;
      if (!pending.lazy) this.#urgent -= 1;
      count += 1;
    }
    this.#queuedRows -= rows;
    // What stays queued waits afresh (the oldest left with this batch).
    this.#stopGathering();
    const batch = this.#queue.splice(0, count);
    let lazy = 0;
    for (const pending of batch) if (pending.lazy) lazy += 1;
    if (lazy > 0) this.#metrics.lazy.inc({ outcome: lazy < batch.length ? 'joined' : 'alone' }, lazy);
    return batch;
  }

  async #write(batch: readonly PendingAppend[]): Promise<void> {
    this.#metrics.batchAppends.observe(batch.length);
    if (batch.length === 1) {
      const [only] = batch;
      if (only !== undefined) await this.#writeAlone(only);
      return;
    }
    try {
      await this.#insertBatch(batch);
    } catch (error) {
      // The statement committed nothing: each append alone gets the outcome it would have had.
      this.#metrics.batches.inc({ outcome: 'failed' });
      this.#metrics.fallbacks.inc(batch.length);
      this.#logger.warn(
        { err: error, appends: batch.length },
        'journal batch failed; writing its appends one by one',
      );
      await Promise.all(batch.map((pending) => this.#writeAlone(pending)));
      return;
    }
    this.#metrics.batches.inc({ outcome: 'committed' });
    for (const pending of batch) pending.resolve(pending.inserted);
  }

  async #writeAlone(pending: PendingAppend): Promise<void> {
    try {
      const statement = appendOneSql(
        pending.identity,
        pending.epoch,
        pending.firstSequenceNr,
        pending.entries,
        pending.correlationId,
      );
      const result = await this.#pool.query(statement);
      pending.resolve(result.rowCount ?? 0);
    } catch (error) {
      pending.reject(error);
    }
  }

  /**
   * One statement for every append of the batch; counts on each append the rows it got in. The
   * statement is prepared once per connection and size class: its rows are padded with NULL rows up to a power
   * of two (at most maxRows), which the JOIN drops (a NULL identity matches no activation), so the
   * server parses and analyses a handful of statement texts instead of one per batch.
   */
  async #insertBatch(batch: readonly PendingAppend[]): Promise<void> {
    let rows = 0;
    for (const pending of batch) rows += pending.entries.length;
    const size = batchSize(rows, this.#maxRows);
    const params: unknown[] = new Array<unknown>(size * PARAMETERS_PER_ROW).fill(null);
    // By identity; a returned row's append is the one of its epoch whose sequence numbers hold it.
    const byIdentity = new Map<string, PendingAppend[]>();
    let p = 0;
    for (const pending of batch) {
      pending.inserted = 0;
      const list = byIdentity.get(pending.identity);
      if (list === undefined) byIdentity.set(pending.identity, [pending]);
      else list.push(pending);
      for (let index = 0; index < pending.entries.length; index++) {
        const entry = pending.entries[index];
        if (entry === undefined) continue;
        params[p] = pending.identity;
        params[p + 1] = pending.epochText;
        params[p + 2] = String(pending.firstSequenceNr + index);
        params[p + 3] = entry.eventType;
        params[p + 4] = toBuffer(entry.payload);
        params[p + 5] = entry.correlationId ?? pending.correlationId;
        p += PARAMETERS_PER_ROW;
      }
    }
    const result = await this.#pool.query<{ identity: string; epoch: string; sequence_nr: string }>({
      name: `ninja_journal_batch_${size}`,
      text: batchSql(size),
      values: params,
    });
    for (const row of result.rows) {
      const list = byIdentity.get(row.identity);
      if (list === undefined) continue;
      const sequenceNr = Number(row.sequence_nr);
      for (const pending of list) {
        if (
          pending.epochText === row.epoch &&
          sequenceNr >= pending.firstSequenceNr &&
          sequenceNr < pending.firstSequenceNr + pending.entries.length
        ) {
          pending.inserted += 1;
          break;
        }
      }
    }
  }
}

/** The rows of the statement for `rows` rows: the next power of two, at most `maxRows`. */
function batchSize(rows: number, maxRows: number): number {
  let size = 2;
  while (size < rows) size *= 2;
  return Math.min(size, Math.max(rows, maxRows));
}

const batchSqlBySize = new Map<number, string>();

/** The batch INSERT for `size` rows (built once per size). */
function batchSql(size: number): string {
  const cached = batchSqlBySize.get(size);
  if (cached !== undefined) return cached;
  const values: string[] = [];
  for (let row = 0; row < size; row++) {
    const b = row * PARAMETERS_PER_ROW;
    values.push(
      row === 0
        ? `($${b + 1}::TEXT, $${b + 2}::INT8, $${b + 3}::INT8, $${b + 4}::TEXT, $${b + 5}::BYTEA, $${b + 6}::TEXT)`
        : `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`,
    );
  }
  const sql = `INSERT INTO actor_journal (identity, sequence_nr, epoch, event_type, payload, correlation_id)
      SELECT e.identity, e.sequence_nr, a.epoch, e.event_type, e.payload, e.correlation_id
      FROM (VALUES ${values.join(', ')}) AS e (identity, epoch, sequence_nr, event_type, payload, correlation_id)
      JOIN actor_activations AS a ON a.identity = e.identity AND a.epoch = e.epoch
      FOR SHARE OF a
      RETURNING identity, epoch, sequence_nr`;
  batchSqlBySize.set(size, sql);
  return sql;
}
