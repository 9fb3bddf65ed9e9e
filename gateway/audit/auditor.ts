import type { Counter } from 'prom-client';
import type { Logger } from '../../observability/index.ts';
import type { AuditEntry, AuditLog } from './audit-log.ts';

/**
 * Writes audit records. A security event whose record fails is still answered (the failure is
 * logged and counted); an order-affecting call must be audited before it proceeds (`required`).
 */
export class Auditor {
  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
    private readonly failures: Counter,
  ) {}

  /** Logs and counts a failed write instead of failing the caller. */
  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.log.record(entry);
    } catch (error) {
      this.failures.inc();
      this.logger.error(
        { err: error, action: entry.action, correlationId: entry.correlationId },
        'audit record not written',
      );
    }
  }

  /** Fails the caller when the record cannot be written. */
  async required(entry: AuditEntry): Promise<void> {
    try {
      await this.log.record(entry);
    } catch (error) {
      this.failures.inc();
      throw error;
    }
  }
}
