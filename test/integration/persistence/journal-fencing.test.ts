import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaleEpochError } from '../../../actors/index.ts';
import {
  ActorJournal,
  JournalGroupCommit,
  incrementingEpochs,
} from '../../../actors/kernel/persistence/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { MigrationRunner, withTransaction } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

/** The journal write documented in docs/persistence.md ("Epoch-fenced journal writes"). */
const APPEND = `
  INSERT INTO actor_journal (identity, sequence_nr, epoch, event_type, payload, correlation_id)
  SELECT $1::TEXT, $2::INT8, $3::INT8, $4::TEXT, $5::BYTEA, $6::TEXT
   WHERE $3::INT8 = (SELECT epoch FROM actor_activations WHERE identity = $1::TEXT)`;

const ACTIVATE = `
  INSERT INTO actor_activations (identity, epoch, node_id) VALUES ($1, 1, $2)
  ON CONFLICT (identity) DO UPDATE
    SET epoch = actor_activations.epoch + 1, node_id = excluded.node_id, activated_at = now()
  RETURNING epoch`;

describe('epoch-fenced journal writes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await new MigrationRunner({ database: database.pool, logger: testLogger('journal-test') }).up();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('accepts writes of the current activation and refuses those of an older one', async () => {
    const identity = 'orders/6f1c2f7e-0000-4000-8000-000000000001';
    const activate = (node: string) =>
      withTransaction(database.pool, async (client) => {
        const result = await client.query<{ epoch: string }>(ACTIVATE, [identity, node]);
        return result.rows[0]?.epoch;
      });
    const append = (sequenceNr: number, epoch: string) =>
      withTransaction(database.pool, async (client) => {
        const result = await client.query(APPEND, [
          identity,
          sequenceNr,
          epoch,
          'OrderAccepted',
          Buffer.from([1]),
          null,
        ]);
        return result.rowCount;
      });

    const first = await activate('node-a');
    expect(first).toBe('1');
    expect(await append(1, '1')).toBe(1);

    const second = await activate('node-b'); // failover: node-b takes the identity
    expect(second).toBe('2');
    expect(await append(2, '1')).toBe(0); // the zombie on node-a is fenced by the statement itself
    expect(await append(2, '2')).toBe(1);

    const journal = await database.pool.query<{ sequence_nr: string; epoch: string }>(
      'SELECT sequence_nr, epoch FROM actor_journal WHERE identity = $1 ORDER BY sequence_nr',
      [identity],
    );
    expect(journal.rows).toEqual([
      { sequence_nr: '1', epoch: '1' },
      { sequence_nr: '2', epoch: '2' },
    ]);
  });

  describe('group commit', () => {
    const entry = (text: string) => ({ eventType: 'added', payload: new TextEncoder().encode(text) });
    const rowsOf = async (identity: string) =>
      (
        await database.pool.query<{ sequence_nr: string; epoch: string }>(
          'SELECT sequence_nr, epoch FROM actor_journal WHERE identity = $1 ORDER BY sequence_nr',
          [identity],
        )
      ).rows;
    const counted = async (metrics: MetricsRegistry, name: string, outcome: string) => {
      const data = await metrics.registry.getSingleMetric(name)?.get();
      return data?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    };
    const setup = () => {
      const metrics = new MetricsRegistry();
      // One batch in flight: appends made in the same tick are written by one statement.
      const groupCommit = new JournalGroupCommit({
        pool: database.pool,
        metrics,
        logger: testLogger('group-commit'),
        maxInFlight: 1,
      });
      return { metrics, journal: new ActorJournal(database.pool, groupCommit) };
    };

    it('one statement for a fenced and a valid writer: the valid ones commit, the fenced one is refused', async () => {
      const { metrics, journal } = setup();
      const epochs = incrementingEpochs('node-a');
      const contested = 'ledger/group-contested';
      const other = 'ledger/group-other';
      const zombieEpoch = await epochs.acquire(contested, database.pool);
      const currentEpoch = await epochs.acquire(contested, database.pool); // failover
      const otherEpoch = await epochs.acquire(other, database.pool);
      const results = await Promise.allSettled([
        journal.append(contested, zombieEpoch, 1, [entry('zombie')], 'c-zombie'),
        journal.append(contested, currentEpoch, 1, [entry('current')], 'c-current'),
        journal.append(other, otherEpoch, 1, [entry('o1'), entry('o2')], 'c-other'),
      ]);
      expect(results[0]?.status).toBe('rejected');
      expect(results[0]?.status === 'rejected' ? results[0].reason : undefined).toBeInstanceOf(
        StaleEpochError,
      );
      expect(results.slice(1).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await rowsOf(contested)).toEqual([{ sequence_nr: '1', epoch: String(currentEpoch) }]);
      expect(await rowsOf(other)).toEqual([
        { sequence_nr: '1', epoch: String(otherEpoch) },
        { sequence_nr: '2', epoch: String(otherEpoch) },
      ]);
      // All three went through one statement, and it was not a fallback.
      expect(await counted(metrics, 'ninja_journal_batches_total', 'committed')).toBe(1);
      expect(await counted(metrics, 'ninja_journal_batches_total', 'failed')).toBe(0);
    });

    it('a duplicate sequence number fails only its own append; the rest of the batch commits', async () => {
      const { metrics, journal } = setup();
      const epochs = incrementingEpochs('node-a');
      const dup = 'ledger/group-dup';
      const fine = 'ledger/group-fine';
      const dupEpoch = await epochs.acquire(dup, database.pool);
      const fineEpoch = await epochs.acquire(fine, database.pool);
      await journal.append(dup, dupEpoch, 1, [entry('first')], 'c0');
      const results = await Promise.allSettled([
        journal.append(dup, dupEpoch, 1, [entry('again')], 'c1'),
        journal.append(fine, fineEpoch, 1, [entry('f1')], 'c2'),
      ]);
      expect(results[0]?.status === 'rejected' ? results[0].reason : undefined).toBeInstanceOf(
        StaleEpochError,
      );
      expect(results[1]?.status).toBe('fulfilled');
      expect(await rowsOf(dup)).toEqual([{ sequence_nr: '1', epoch: String(dupEpoch) }]);
      expect(await rowsOf(fine)).toEqual([{ sequence_nr: '1', epoch: String(fineEpoch) }]);
      expect(await counted(metrics, 'ninja_journal_batches_total', 'failed')).toBe(1);
    });

    it('each append of a batch is durable when its promise resolves', async () => {
      const { journal } = setup();
      const epochs = incrementingEpochs('node-a');
      const identities = Array.from({ length: 20 }, (_, i) => `ledger/group-many-${i}`);
      const epochOf = new Map<string, bigint>();
      for (const identity of identities) epochOf.set(identity, await epochs.acquire(identity, database.pool));
      await Promise.all(
        identities.map(async (identity) => {
          const epoch = epochOf.get(identity);
          if (epoch === undefined) throw new Error(`no epoch for ${identity}`);
          await journal.append(identity, epoch, 1, [entry('a'), entry('b')], `c-${identity}`);
          // Read on another connection right after the promise resolved: the rows are committed.
          expect((await rowsOf(identity)).length).toBe(2);
        }),
      );
    });
  });
});
