import { describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../../domain/errors.ts';
import { createLogger } from '../../../observability/index.ts';
import { StaleEpochError } from '../errors.ts';
import { AppendPipeline, HOLD_LIMIT_MS } from './append-pipeline.ts';
import type { JournalEntry } from './journal-sql.ts';

interface Append {
  readonly firstSequenceNr: number;
  readonly entries: readonly JournalEntry[];
  readonly lazy: boolean;
  settle(error?: Error): void;
}

/** A journal whose appends stay pending until the test settles them, in the order they came. */
class ScriptedJournal {
  readonly appends: Append[] = [];
  readonly snapshots: number[] = [];
  /** Identities urged, in order. */
  readonly urged: string[] = [];
  /** While set, snapshot writes stay pending until the test calls these, in order. */
  readonly heldSnapshots: (() => void)[] | undefined;

  constructor(holdSnapshots = false) {
    this.heldSnapshots = holdSnapshots ? [] : undefined;
  }

  append(
    _identity: string,
    _epoch: bigint,
    firstSequenceNr: number,
    entries: readonly JournalEntry[],
    _correlationId: string,
    lazy = false,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.appends.push({
        firstSequenceNr,
        entries,
        lazy,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
    });
  }

  urge(identity: string): void {
    this.urged.push(identity);
  }

  writeSnapshot(_identity: string, _epoch: bigint, sequenceNr: number): Promise<void> {
    this.snapshots.push(sequenceNr);
    const held = this.heldSnapshots;
    return held === undefined ? Promise.resolve() : new Promise((resolve) => held.push(resolve));
  }
}

const logger = createLogger({ level: 'silent', name: 'append-pipeline-test' });
const entry = (eventType: string): JournalEntry => ({ eventType, payload: new Uint8Array([1]) });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function pipeline(journal: ScriptedJournal): AppendPipeline {
  return new AppendPipeline({ journal, identity: 'orders/a', epoch: 1n, logger });
}

describe('AppendPipeline', () => {
  it('writes what queued behind an append as the next append, in order, and follows up only once durable', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    const done: string[] = [];
    p.add(1, [entry('a')], 'c1', () => done.push('a'), undefined);
    p.add(2, [entry('b'), entry('c')], 'c2', () => done.push('b'), undefined);
    p.add(4, [entry('d')], 'c3', () => done.push('d'), undefined);
    expect(journal.appends).toHaveLength(1);
    expect(done).toEqual([]);

    journal.appends[0]?.settle();
    await turn();
    expect(done).toEqual(['a']);
    expect(journal.appends).toHaveLength(2);
    const second = journal.appends[1];
    expect(second?.firstSequenceNr).toBe(2);
    expect(second?.entries.map((e) => [e.eventType, e.correlationId])).toEqual([
      ['b', 'c2'],
      ['c', 'c2'],
      ['d', 'c3'],
    ]);
    second?.settle();
    await p.drained();
    expect(done).toEqual(['a', 'b', 'd']);
  });

  it('runs a follow-up without events after what is being written, or at once when nothing is', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    const done: string[] = [];
    p.afterQueued(() => done.push('idle read'));
    expect(done).toEqual(['idle read']);
    p.add(1, [entry('a')], 'c1', () => done.push('a'), undefined);
    p.afterQueued(() => done.push('read after a'));
    expect(done).toEqual(['idle read']);
    journal.appends[0]?.settle();
    await p.drained();
    expect(done).toEqual(['idle read', 'a', 'read after a']);
  });

  it('writes a snapshot once its sequence number is durable', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    p.snapshotAfterLast(1, new Uint8Array([9]));
    expect(journal.snapshots).toEqual([]);
    journal.appends[0]?.settle();
    await p.drained();
    expect(journal.snapshots).toEqual([1]);
  });

  it('writes a snapshot beside the appends: the next append does not wait for it, a newer one supersedes a waiting one', async () => {
    const journal = new ScriptedJournal(true);
    const p = pipeline(journal);
    const done: string[] = [];
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    p.snapshotAfterLast(1, new Uint8Array([1]));
    journal.appends[0]?.settle();
    await turn();
    expect(journal.snapshots).toEqual([1]);

    p.add(2, [entry('b')], 'c2', () => done.push('b'), undefined);
    p.snapshotAfterLast(2, new Uint8Array([2]));
    expect(journal.appends).toHaveLength(2);
    journal.appends[1]?.settle();
    await turn();
    expect(done).toEqual(['b']);
    p.add(3, [entry('c')], 'c3', () => done.push('c'), undefined);
    p.snapshotAfterLast(3, new Uint8Array([3]));
    journal.appends[2]?.settle();
    await turn();
    // Snapshot 1 is still being written: 2 and 3 wait, and only the newest is kept.
    expect(done).toEqual(['b', 'c']);
    expect(journal.snapshots).toEqual([1]);

    let drained = false;
    void p.drained().then(() => (drained = true));
    journal.heldSnapshots?.[0]?.();
    await turn();
    expect(journal.snapshots).toEqual([1, 3]);
    expect(drained).toBe(false);
    journal.heldSnapshots?.[1]?.();
    await turn();
    expect(drained).toBe(true);
  });

  it('holds the first write until the messages queued behind the command are handled, and writes them as one append', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    const done: string[] = [];
    // A venue's acknowledgement, with its expiry and the placement's answer queued behind it.
    p.commandBegins(2);
    p.add(1, [entry('ack')], 'c1', () => done.push('ack'), undefined);
    p.commandEnded();
    p.commandBegins(1);
    p.add(2, [entry('expired')], 'c2', () => done.push('expired'), undefined);
    p.commandEnded();
    expect(journal.appends).toHaveLength(0);
    p.commandBegins(0);
    p.afterQueued(() => done.push('placed'));
    p.commandEnded();
    expect(journal.appends).toHaveLength(1);
    expect(journal.appends[0]?.entries.map((e) => e.eventType)).toEqual(['ack', 'expired']);
    journal.appends[0]?.settle();
    await p.drained();
    expect(done).toEqual(['ack', 'expired', 'placed']);
  });

  it('holds nothing when no message is queued behind, or while an append is in flight', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    p.commandBegins(0);
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    expect(journal.appends).toHaveLength(1);
    p.commandEnded();
    // In flight: what queues behind it goes out next, held or not.
    p.commandBegins(3);
    p.add(2, [entry('b')], 'c2', undefined, undefined);
    p.commandEnded();
    journal.appends[0]?.settle();
    await turn();
    expect(journal.appends).toHaveLength(2);
    journal.appends[1]?.settle();
    await p.drained();
  });

  it('writes a held append after HOLD_LIMIT_MS when the queued messages never come (a stopped actor)', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    p.commandBegins(5);
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    p.commandEnded();
    expect(journal.appends).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS + 5));
    expect(journal.appends).toHaveLength(1);
    journal.appends[0]?.settle();
    await p.drained();
  });

  it('holds a second write its full HOLD_LIMIT_MS though the first hold ended early (one timer re-armed)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const journal = new ScriptedJournal();
      const p = pipeline(journal);
      // First hold: its queued message comes at once, so it ends early and its write goes out.
      p.commandBegins(1);
      p.add(1, [entry('a')], 'c1', undefined, undefined);
      p.commandEnded();
      p.commandBegins(0);
      p.commandEnded();
      expect(journal.appends).toHaveLength(1);
      journal.appends[0]?.settle();
      await turn();
      vi.advanceTimersByTime(HOLD_LIMIT_MS - 1);
      // Second hold, begun just before the first one's limit would have passed.
      p.commandBegins(3);
      p.add(2, [entry('b')], 'c2', undefined, undefined);
      p.commandEnded();
      vi.advanceTimersByTime(HOLD_LIMIT_MS - 1);
      expect(journal.appends).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(journal.appends).toHaveLength(2);
      journal.appends[1]?.settle();
      await p.drained();
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts a held write on drained() (passivation, a failing receive)', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    p.commandBegins(5);
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    let drained = false;
    void p.drained().then(() => (drained = true));
    expect(journal.appends).toHaveLength(1);
    journal.appends[0]?.settle();
    await turn();
    expect(drained).toBe(true);
  });

  it('refuses every queued command after a failed append and writes nothing more', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    const refused: string[] = [];
    const done: string[] = [];
    p.add(
      1,
      [entry('a')],
      'c1',
      () => done.push('a'),
      (e) => refused.push(`a: ${e.name}`),
    );
    p.add(
      2,
      [entry('b')],
      'c2',
      () => done.push('b'),
      (e) => refused.push(`b: ${e.name}`),
    );
    journal.appends[0]?.settle(new UnavailableError('database gone'));
    await p.drained();
    expect(done).toEqual([]);
    expect(refused).toEqual(['a: UnavailableError', 'b: UnavailableError']);
    expect(p.failure).toBeInstanceOf(UnavailableError);
    expect(journal.appends).toHaveLength(1);
  });

  it('keeps a stale epoch as the failure, so the actor stops', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    p.add(1, [entry('a')], 'c1', undefined, undefined);
    journal.appends[0]?.settle(new StaleEpochError('orders/a', 1n, 'fenced'));
    await p.drained();
    expect(p.failure).toBeInstanceOf(StaleEpochError);
  });

  it('appends lazily what no caller waits for, and urges it when a command with a caller queues behind', async () => {
    const journal = new ScriptedJournal();
    const p = pipeline(journal);
    const refuse = (): void => undefined;
    p.add(1, [entry('intent')], 'c1', undefined, refuse);
    expect(journal.appends[0]?.lazy).toBe(false);
    journal.appends[0]?.settle();
    await turn();
    p.add(2, [entry('ack')], 'c2', undefined, undefined);
    expect(journal.appends[1]?.lazy).toBe(true);
    expect(journal.urged).toEqual([]);
    p.add(3, [entry('intent')], 'c3', undefined, refuse);
    expect(journal.urged).toEqual(['orders/a']);
    journal.appends[1]?.settle();
    await turn();
    expect(journal.appends[2]?.lazy).toBe(false);
    journal.appends[2]?.settle();
    await turn();
    // A read that waits (afterQueued with a caller) urges what it waits behind; one without does not.
    p.add(4, [entry('ack')], 'c4', undefined, undefined);
    p.afterQueued(() => undefined, false);
    expect(journal.urged).toEqual(['orders/a']);
    p.afterQueued(() => undefined);
    expect(journal.urged).toEqual(['orders/a', 'orders/a']);
    journal.appends[3]?.settle();
    await p.drained();
  });
});
