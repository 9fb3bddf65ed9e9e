import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActorJournal,
  createActorSystem,
  definePersistentActor,
  incrementingEpochs,
  jsonCodec,
  StaleEpochError,
  suppliedEpochs,
} from '../../../actors/index.ts';
import type { ActorRef, ActorSystem, EpochSource, ReplyTo } from '../../../actors/index.ts';
import { JournalGroupCommit } from '../../../actors/kernel/persistence/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, systemName } from './actor-test-kit.ts';

type Command =
  | { readonly type: 'add'; readonly amount: string; readonly replyTo: ReplyTo<string> }
  | { readonly type: 'add-twice'; readonly amount: string; readonly replyTo: ReplyTo<string> }
  | { readonly type: 'get'; readonly replyTo: ReplyTo<string> };
type CounterEvent = { readonly type: 'added'; readonly amount: string };
interface CounterState {
  /** Exact integer as a decimal string (money-like: never a float). */
  readonly total: string;
  readonly applied: number;
}

function counterKind(snapshotEvery: number) {
  return definePersistentActor<CounterState, Command, CounterEvent>({
    kind: 'ledger',
    initialState: () => ({ total: '0', applied: 0 }),
    receive: (state, command, ctx) => {
      switch (command.type) {
        case 'get':
          ctx.reply(command.replyTo, state.total);
          return {};
        case 'add':
          return {
            events: [{ type: 'added', amount: command.amount }],
            reply: (next) => ctx.reply(command.replyTo, next.total),
          };
        case 'add-twice':
          return {
            events: [
              { type: 'added', amount: command.amount },
              { type: 'added', amount: command.amount },
            ],
            reply: (next) => ctx.reply(command.replyTo, next.total),
          };
      }
    },
    applyEvent: (state, event) => ({
      total: (BigInt(state.total) + BigInt(event.amount)).toString(),
      applied: state.applied + 1,
    }),
    eventType: (event) => event.type,
    events: jsonCodec<CounterEvent>(),
    snapshots: jsonCodec<CounterState>(),
    snapshotEvery,
    supervision: { backoff: { initialMs: 1, maxMs: 2 } },
  });
}

let database: TestDatabase;
/** Shared by every system of a group-commit run, so a zombie's and the owner's appends can share a statement. */
let groupCommit: JournalGroupCommit | undefined;
let systems: ActorSystem[] = [];

function newSystem(epochs: EpochSource = incrementingEpochs('test-node')): ActorSystem {
  const system = createActorSystem({
    name: systemName('persistence'),
    logger: testLogger('persistence-test'),
    metrics: new MetricsRegistry(),
    persistence: { pool: database.pool, epochs, ...(groupCommit === undefined ? {} : { groupCommit }) },
  });
  systems.push(system);
  return system;
}

const add = (system: ActorSystem, ref: ActorRef<Command>, amount: string) =>
  system.request(ref, (replyTo: ReplyTo<string>): Command => ({ type: 'add', amount, replyTo }), {
    timeoutMs: 5_000,
  });
const get = (system: ActorSystem, ref: ActorRef<Command>) =>
  system.request(ref, (replyTo: ReplyTo<string>): Command => ({ type: 'get', replyTo }), {
    timeoutMs: 5_000,
  });

async function journalOf(identity: string): Promise<{ sequence_nr: string; epoch: string }[]> {
  const result = await database.pool.query<{ sequence_nr: string; epoch: string }>(
    'SELECT sequence_nr, epoch FROM actor_journal WHERE identity = $1 ORDER BY sequence_nr',
    [identity],
  );
  return result.rows;
}

describe.each([
  ['one statement per append', false],
  ['group commit', true],
])('event-sourced actors (%s)', (_mode, grouped) => {
  beforeAll(async () => {
    database = await createTestDatabase();
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    systems = [];
    groupCommit = grouped
      ? new JournalGroupCommit({
          pool: database.pool,
          metrics: new MetricsRegistry(),
          logger: testLogger('group-commit'),
        })
      : undefined;
  });

  afterAll(async () => {
    await Promise.all(systems.map((system) => system.shutdown()));
    await database.drop();
  });

  it.each([
    ['without snapshots', 0, 'plain'],
    ['with a snapshot every 3 events', 3, 'snap'],
  ])('recover exactly after stop and re-spawn (%s)', async (_label, snapshotEvery, key) => {
    const kind = counterKind(snapshotEvery);
    const first = newSystem();
    const ref = first.spawn(kind, key);
    const amounts = ['5', '7', '-2', '100000000000000000000', '3', '11', '13'];
    let expected = 0n;
    for (const amount of amounts) {
      expected += BigInt(amount);
      expect(await add(first, ref, amount)).toBe(expected.toString());
    }
    expect(
      await first.request(
        ref,
        (replyTo: ReplyTo<string>): Command => ({ type: 'add-twice', amount: '1', replyTo }),
        {
          timeoutMs: 5_000,
        },
      ),
    ).toBe((expected + 2n).toString());
    expected += 2n;
    await first.stop(ref);

    const second = newSystem();
    const again = second.spawn(kind, key);
    expect(await get(second, again)).toBe(expected.toString());
    const journal = await journalOf(`ledger/${key}`);
    expect(journal.map((row) => Number(row.sequence_nr))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const snapshots = await database.pool.query<{ sequence_nr: string }>(
      'SELECT sequence_nr FROM actor_snapshots WHERE identity = $1 ORDER BY sequence_nr',
      [`ledger/${key}`],
    );
    expect(snapshots.rows.map((row) => Number(row.sequence_nr))).toEqual(
      snapshotEvery === 0 ? [] : [3, 6, 9],
    );
    // Appends of the new activation carry its epoch.
    await add(second, again, '1');
    const rows = await journalOf(`ledger/${key}`);
    expect(rows.at(-1)).toEqual({ sequence_nr: '10', epoch: '2' });
  });

  it('recovery from a snapshot replays only later events', async () => {
    const kind = counterKind(2);
    const system = newSystem();
    const ref = system.spawn(kind, 'partial');
    for (const amount of ['1', '2', '3']) await add(system, ref, amount);
    await system.stop(ref);
    // Tamper with an event covered by the snapshot: recovery must not read it.
    await database.pool.query(
      "DELETE FROM actor_journal WHERE identity = 'ledger/partial' AND sequence_nr = 1",
    );
    const again = system.spawn(kind, 'partial');
    expect(await get(system, again)).toBe('6');
  });

  it('refuses the older of two activations in the database: StaleEpochError, no gap, no duplicate', async () => {
    const kind = counterKind(0);
    const older = newSystem();
    const newer = newSystem();
    const zombie = older.spawn(kind, 'twice');
    expect(await add(older, zombie, '1')).toBe('1');
    // A second activation of the same identity (e.g. after a partition) takes a newer epoch.
    const current = newer.spawn(kind, 'twice');
    expect(await get(newer, current)).toBe('1');
    // The zombie still believes it owns the identity; its write is refused by the statement itself.
    const refused: unknown = await add(older, zombie, '10').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StaleEpochError);
    expect((refused as StaleEpochError).code).toBe('ABORTED');
    await eventually(() => !older.isAlive(zombie));
    expect(await add(newer, current, '100')).toBe('101');
    const rows = await journalOf('ledger/twice');
    expect(rows).toEqual([
      { sequence_nr: '1', epoch: '1' },
      { sequence_nr: '2', epoch: '2' },
    ]);
  });

  it('concurrent appends from two activations never leave a gap or a duplicate', async () => {
    const kind = counterKind(0);
    const a = newSystem();
    const b = newSystem();
    const refA = a.spawn(kind, 'race');
    await get(a, refA);
    const refB = b.spawn(kind, 'race');
    await get(b, refB);
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => add(a, refA, '1')),
      ...Array.from({ length: 5 }, () => add(b, refB, '1')),
    ]);
    const fromA = results.slice(0, 5);
    expect(fromA.every((r) => r.status === 'rejected')).toBe(true);
    expect(results.slice(5).map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    const rows = await journalOf('ledger/race');
    expect(rows.map((row) => Number(row.sequence_nr))).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(rows.map((row) => row.epoch))).toEqual(new Set(['2']));
  });

  it('the journal refuses a duplicate sequence number as stale', async () => {
    const journal = new ActorJournal(database.pool, groupCommit);
    const epoch = await incrementingEpochs('n').acquire('ledger/dup', database.pool);
    const entry = { eventType: 'added', payload: new TextEncoder().encode('{"type":"added","amount":"1"}') };
    await journal.append('ledger/dup', epoch, 1, [entry], 'c1');
    await expect(journal.append('ledger/dup', epoch, 1, [entry], 'c2')).rejects.toBeInstanceOf(
      StaleEpochError,
    );
    await expect(journal.append('ledger/dup', epoch + 1n, 2, [entry], 'c3')).rejects.toBeInstanceOf(
      StaleEpochError,
    );
    const rows = await journalOf('ledger/dup');
    expect(rows).toEqual([{ sequence_nr: '1', epoch: String(epoch) }]);
  });

  it('accepts epochs supplied by the cluster layer and refuses one that is not newer', async () => {
    let next = 41n;
    const supplied = suppliedEpochs('node-x', () => next);
    const system = newSystem(supplied);
    const kind = counterKind(0);
    const ref = system.spawn(kind, 'supplied');
    await add(system, ref, '1');
    expect(await journalOf('ledger/supplied')).toEqual([{ sequence_nr: '1', epoch: '41' }]);
    await system.stop(ref);
    next = 40n;
    await expect(supplied.acquire('ledger/supplied', database.pool)).rejects.toBeInstanceOf(StaleEpochError);
    next = 42n;
    expect(await supplied.acquire('ledger/supplied', database.pool)).toBe(42n);
  });
});
