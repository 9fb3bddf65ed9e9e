/** One event ready for the journal. */
export interface JournalEntry {
  readonly eventType: string;
  readonly payload: Uint8Array;
  /** The command that made the event, when an append carries several commands' events. */
  readonly correlationId?: string;
}

/**
 * The fenced append of one writer: ONE statement that selects the identity's activation row
 * `FOR SHARE` with the writer's epoch in its WHERE clause, so a stale writer inserts nothing and a
 * concurrent epoch change waits for the write to commit.
 */
export function appendOneSql(
  identity: string,
  epoch: bigint,
  firstSequenceNr: number,
  entries: readonly JournalEntry[],
  correlationId: string,
): { readonly sql: string; readonly params: unknown[] } {
  const params: unknown[] = [identity, String(epoch)];
  const rows = entries.map((entry, index) => {
    const base = params.length;
    params.push(
      String(firstSequenceNr + index),
      entry.eventType,
      toBuffer(entry.payload),
      entry.correlationId ?? correlationId,
    );
    return index === 0
      ? `($${base + 1}::INT8, $${base + 2}::TEXT, $${base + 3}::BYTEA, $${base + 4}::TEXT)`
      : `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`;
  });
  const sql = `INSERT INTO actor_journal (identity, sequence_nr, epoch, event_type, payload, correlation_id)
      SELECT a.identity, e.sequence_nr, a.epoch, e.event_type, e.payload, e.correlation_id
      FROM actor_activations AS a
      CROSS JOIN (VALUES ${rows.join(', ')}) AS e (sequence_nr, event_type, payload, correlation_id)
      WHERE a.identity = $1 AND a.epoch = $2
      FOR SHARE OF a`;
  return { sql, params };
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
