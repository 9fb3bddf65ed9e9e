import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry, createLogger } from '../../../observability/index.ts';
import { JournalGroupCommit } from './group-commit.ts';
import type { JournalEntry } from './journal-sql.ts';

interface Statement {
  /** The identities of the rows it carries (padding rows left out). */
  readonly identities: string[];
  /** Commits it: every row of it inserted. */
  commit(): void;
}

/** A pool whose statements stay in flight until the test commits them, in the order they came. */
class ScriptedPool {
  readonly statements: Statement[] = [];

  query(config: {
    readonly name?: string;
    readonly values: unknown[];
  }): Promise<{ rows: unknown[]; rowCount: number }> {
    return new Promise((resolve) => {
      const rows: { identity: string; epoch: string; sequence_nr: string }[] = [];
      const batch = config.name?.startsWith('ninja_journal_batch_') === true;
      if (batch) {
        // The batch statement: 6 parameters per row (identity, epoch, sequence_nr, …), NULL-padded.
        for (let p = 0; p < config.values.length; p += 6) {
          const identity = config.values[p];
          if (typeof identity !== 'string') continue;
          rows.push({
            identity,
            epoch: String(config.values[p + 1]),
            sequence_nr: String(config.values[p + 2]),
          });
        }
      }
      this.statements.push({
        identities: batch ? rows.map((r) => r.identity) : [String(config.values[0])],
        commit: () => resolve({ rows, rowCount: batch ? rows.length : (config.values.length - 2) / 4 }),
      });
    });
  }
}

const logger = createLogger({ level: 'silent', name: 'group-commit-test' });
const entry = (eventType: string): JournalEntry => ({ eventType, payload: new Uint8Array([1]) });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function groupCommit(
  pool: ScriptedPool,
  options: { maxInFlight?: number; gatherMs?: number; maxRows?: number; lazyMs?: number },
) {
  return new JournalGroupCommit({
    // The scripted pool answers the one method the group commit calls.
    pool: pool as unknown as pg.Pool,
    metrics: new MetricsRegistry(),
    logger,
    ...options,
  });
}

describe('JournalGroupCommit', () => {
  it('writes an append at once when nothing is in flight, and gathers those that find a statement in flight into the next one', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 60_000 });
    const first = commit.append('a/1', 1n, 1, [entry('x')], 'c1');
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1']]);
    const later = [
      commit.append('a/2', 1n, 1, [entry('x')], 'c2'),
      commit.append('a/3', 1n, 1, [entry('x')], 'c3'),
    ];
    await turn();
    const more = commit.append('a/4', 1n, 1, [entry('x')], 'c4');
    await turn();
    // A second connection is free, but they wait for the statement in flight.
    expect(pool.statements).toHaveLength(1);
    pool.statements[0]?.commit();
    await expect(first).resolves.toBe(1);
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1'], ['a/2', 'a/3', 'a/4']]);
    pool.statements[1]?.commit();
    await expect(Promise.all([...later, more])).resolves.toEqual([1, 1, 1]);
  });

  it('takes another connection once the appends have waited gatherMs for the statement in flight', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 20 });
    const first = commit.append('a/1', 1n, 1, [entry('x')], 'c1');
    await turn();
    const second = commit.append('a/2', 1n, 1, [entry('x')], 'c2');
    await turn();
    expect(pool.statements).toHaveLength(1);
    await sleep(60);
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1'], ['a/2']]);
    // maxInFlight reached: the next waits for a commit, however long it waited.
    const third = commit.append('a/3', 1n, 1, [entry('x')], 'c3');
    await sleep(60);
    expect(pool.statements).toHaveLength(2);
    pool.statements[1]?.commit();
    await expect(second).resolves.toBe(1);
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1'], ['a/2'], ['a/3']]);
    pool.statements[0]?.commit();
    pool.statements[2]?.commit();
    await expect(Promise.all([first, third])).resolves.toEqual([1, 1]);
  });

  it('with gatherMs 0 uses a free connection at once', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 0 });
    const first = commit.append('a/1', 1n, 1, [entry('x')], 'c1');
    await turn();
    const second = commit.append('a/2', 1n, 1, [entry('x')], 'c2');
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1'], ['a/2']]);
    for (const statement of pool.statements) statement.commit();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
  });

  it('does not hold back a full statement', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 60_000, maxRows: 2 });
    const first = commit.append('a/1', 1n, 1, [entry('x')], 'c1');
    await turn();
    const full = commit.append('a/2', 1n, 1, [entry('x'), entry('y')], 'c2');
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1'], ['a/2']]);
    for (const statement of pool.statements) statement.commit();
    await expect(Promise.all([first, full])).resolves.toEqual([1, 2]);
  });

  it('sends no statement for a lazy append: it joins the next urgent append, or goes once it waited lazyMs', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 60_000, lazyMs: 40 });
    const ack = commit.append('a/1', 1n, 3, [entry('ack'), entry('expired')], 'c1', true);
    await turn();
    expect(pool.statements).toHaveLength(0);
    const intent = commit.append('a/2', 1n, 1, [entry('intent')], 'c2');
    await turn();
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1', 'a/1', 'a/2']]);
    pool.statements[0]?.commit();
    await expect(Promise.all([ack, intent])).resolves.toEqual([2, 1]);

    const alone = commit.append('a/3', 1n, 1, [entry('ack')], 'c3', true);
    await sleep(10);
    expect(pool.statements).toHaveLength(1);
    await sleep(60);
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1', 'a/1', 'a/2'], ['a/3']]);
    pool.statements[1]?.commit();
    await expect(alone).resolves.toBe(1);
  });

  it('sends a lazy append as any other once it is urged (someone now waits for it)', async () => {
    const pool = new ScriptedPool();
    const commit = groupCommit(pool, { maxInFlight: 2, gatherMs: 0, lazyMs: 60_000 });
    const ack = commit.append('a/1', 1n, 3, [entry('ack')], 'c1', true);
    const other = commit.append('a/2', 1n, 3, [entry('ack')], 'c2', true);
    await turn();
    expect(pool.statements).toHaveLength(0);
    commit.urge('a/1');
    await turn();
    // The statement takes the oldest appends, the lazy one behind included.
    expect(pool.statements.map((s) => s.identities)).toEqual([['a/1', 'a/2']]);
    pool.statements[0]?.commit();
    await expect(Promise.all([ack, other])).resolves.toEqual([1, 1]);
  });

  it('refuses a negative gatherMs or lazyMs', () => {
    expect(() => groupCommit(new ScriptedPool(), { lazyMs: -1 })).toThrow(/lazyMs/);
    expect(() => groupCommit(new ScriptedPool(), { gatherMs: -1 })).toThrow(/gatherMs/);
  });
});
