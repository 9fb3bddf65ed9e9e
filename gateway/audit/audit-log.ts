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

/** Appends security events and order-affecting calls to audit_log. */
export class AuditLog {
  constructor(private readonly pool: pg.Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (actor_user_id, actor, action, target, details, correlation_id)
       VALUES ($1, $2, $3, $4, $5::JSONB, $6)`,
      [
        entry.userId ?? null,
        entry.actor,
        entry.action,
        entry.target ?? null,
        JSON.stringify(entry.details ?? {}),
        entry.correlationId,
      ],
    );
  }
}
