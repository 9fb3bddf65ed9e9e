/** One event ready for the journal. */
export interface JournalEntry {
  readonly eventType: string;
  readonly payload: Uint8Array;
  /** The command that made the event, when an append carries several commands' events. */
  readonly correlationId?: string;
}

/** Appends of up to this many events use a statement prepared once per connection. */
const PREPARED_UP_TO = 16;

/** A statement for pg's `query`: `name` set when it is prepared once per connection and reused. */
export interface JournalStatement {
  readonly name?: string;
  readonly text: string;
  readonly values: unknown[];
}

const appendSqlByRows = new Map<number, string>();

/**
 * The fenced append of one writer: ONE statement that selects the identity's activation row
 * `FOR SHARE` with the writer's epoch in its WHERE clause, so a stale writer inserts nothing and a
 * concurrent epoch change waits for the write to commit. The text depends only on the number of
 * events, so small appends are named and prepared once per connection.
 */
export function appendOneSql(
  identity: string,
  epoch: bigint,
  firstSequenceNr: number,
  entries: readonly JournalEntry[],
  correlationId: string,
): JournalStatement {
  const values: unknown[] = [identity, String(epoch)];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry === undefined) continue;
    values.push(
      String(firstSequenceNr + index),
      entry.eventType,
      toBuffer(entry.payload),
      entry.correlationId ?? correlationId,
    );
  }
  const text = appendSql(entries.length);
  return entries.length <= PREPARED_UP_TO
    ? { name: `ninja_journal_append_${entries.length}`, text, values }
    : { text, values };
}

function appendSql(count: number): string {
  const cached = appendSqlByRows.get(count);
  if (cached !== undefined) return cached;
  const rows: string[] = [];
  for (let index = 0; index < count; index++) {
    const base = 2 + index * 4;
    rows.push(
      index === 0
        ? `($${base + 1}::INT8, $${base + 2}::TEXT, $${base + 3}::BYTEA, $${base + 4}::TEXT)`
        : `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`,
    );
  }
  const sql = `INSERT INTO actor_journal (identity, sequence_nr, epoch, event_type, payload, correlation_id)
      SELECT a.identity, e.sequence_nr, a.epoch, e.event_type, e.payload, e.correlation_id
      FROM actor_activations AS a
      CROSS JOIN (VALUES ${rows.join(', ')}) AS e (sequence_nr, event_type, payload, correlation_id)
      WHERE a.identity = $1 AND a.epoch = $2
      FOR SHARE OF a`;
  if (count <= PREPARED_UP_TO) appendSqlByRows.set(count, sql);
  return sql;
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
