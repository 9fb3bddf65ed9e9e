import type pg from 'pg';

/** One audit record (audit_log): who did what to which target, under which correlation id. */
export interface AuditEntry {
  readonly userId: string | undefined;
  /** 'user', 'api_key:<key_id>', 'anonymous', 'system'. */
  readonly actor: string;
  /** e.g. 'auth.login', 'auth.login_failed', 'order.place'. */
  readonly action: string;
  readonly target?: string;
  /** Never secrets: the caller filters. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly correlationId: string;
}

export interface AuditLogOptions {
  /** INSERT statements in flight at once; records arriving meanwhile wait and go in one batch. Default 2. */
  readonly maxInFlight?: number;
  /** Most records in one INSERT. Default 64. */
  readonly maxBatch?: number;
}

interface Pending {
  readonly params: readonly unknown[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const COLUMNS = 6;

/**
 * Appends security events and order-affecting calls to audit_log. Records are group-committed:
 * while maxInFlight INSERTs are running, new records queue and the next INSERT writes them all
 * (one statement, one round trip), so concurrent calls share a write instead of each paying for
 * one. A record's promise settles only once its row is committed (or its write failed): a batch
 * that fails is retried row by row, so one bad record never fails another caller's.
 */
export class AuditLog {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly pool: pg.Pool,
    options: AuditLogOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 64;
  }

  record(entry: AuditEntry): Promise<void> {
    const params = [
      entry.userId ?? null,
      entry.actor,
      entry.action,
      entry.target ?? null,
      JSON.stringify(entry.details ?? {}),
      entry.correlationId,
    ];
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Settles every record of the batch; never rejects. */
  private async write(batch: readonly Pending[]): Promise<void> {
    try {
      await this.insert(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Which row failed is unknown: write each alone so that every caller gets its own outcome.
      await Promise.all(
        batch.map(async (pending) => {
          try {
            await this.insert([pending]);
          } catch (rowError) {
            pending.reject(rowError);
            return;
          }
          pending.resolve();
        }),
      );
      return;
    }
    for (const pending of batch) pending.resolve();
  }

  private async insert(batch: readonly Pending[]): Promise<void> {
    const rows = batch.map((_, row) => {
      const p = row * COLUMNS;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::JSONB, $${p + 6})`;
    });
    await this.pool.query(
      `INSERT INTO audit_log (actor_user_id, actor, action, target, details, correlation_id)
       VALUES ${rows.join(', ')}`,
      batch.flatMap((pending) => pending.params),
    );
  }
}
