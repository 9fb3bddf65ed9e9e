import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
