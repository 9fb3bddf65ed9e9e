import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log.ts';
import type { AuditEntry } from './audit-log.ts';

interface Statement {
  readonly params: readonly unknown[];
  readonly finish: (error?: Error) => void;
}

/** A pool whose queries stay open until the test finishes them; rows with a bad actor fail the statement. */
function fakePool(): { pool: pg.Pool; statements: Statement[] } {
  const statements: Statement[] = [];
  const query = (_text: string, params: readonly unknown[]) =>
    new Promise<void>((resolve, reject) => {
      statements.push({
        params,
        finish: (error) => {
          if (error !== undefined) reject(error);
          else if (params.some((param) => param === 'bad')) reject(new Error('row rejected'));
          else resolve();
        },
      });
    });
  // Only query() is used by AuditLog.
  return { pool: { query } as unknown as pg.Pool, statements };
}

const entry = (actor: string): AuditEntry => ({
  userId: undefined,
  actor,
  action: 'order.place',
  correlationId: `c-${actor}`,
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('AuditLog', () => {
  it('writes records arriving while statements are in flight together, settling each on commit', async () => {
    const { pool, statements } = fakePool();
    const log = new AuditLog(pool, { maxInFlight: 1 });
    let firstDone = false;
    const first = log.record(entry('a')).then(() => (firstDone = true));
    const rest = [log.record(entry('b')), log.record(entry('c'))];
    await flush();
    expect(statements).toHaveLength(1);
    expect(firstDone).toBe(false);
    statements[0]?.finish();
    await first;
    await flush();
    expect(statements).toHaveLength(2);
    expect(statements[1]?.params).toHaveLength(12);
    statements[1]?.finish();
    await Promise.all(rest);
  });

  it('fails only the record whose row is rejected', async () => {
    const { pool, statements } = fakePool();
    const log = new AuditLog(pool, { maxInFlight: 1 });
    const blocker = log.record(entry('a'));
    const good = log.record(entry('good'));
    const bad = log.record(entry('bad'));
    await flush();
    statements[0]?.finish();
    await blocker;
    await flush();
    statements[1]?.finish();
    await flush();
    expect(statements).toHaveLength(4);
    for (const statement of statements.slice(2)) statement.finish();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('row rejected');
  });

  it('fails the caller when the database does', async () => {
    const { pool, statements } = fakePool();
    const log = new AuditLog(pool);
    const record = log.record(entry('a'));
    await flush();
    statements[0]?.finish(new Error('connection lost'));
    await expect(record).rejects.toThrow('connection lost');
  });
});
