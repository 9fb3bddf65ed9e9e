import type pg from 'pg';
import { InternalError } from '../../../domain/errors.ts';
import { StaleEpochError } from '../errors.ts';

/**
 * Where the activation epoch of an identity comes from. Every journal and snapshot write carries
 * it and is refused by the database unless it equals `actor_activations.epoch` for the identity,
 * so whatever the source, the row must hold the new epoch before the activation writes.
 */
export interface EpochSource {
  /** Takes the epoch of a new activation of `identity` and records it; older activations are fenced from then on. */
  acquire(identity: string, pool: pg.Pool): Promise<bigint>;
}

/**
 * The database is the source: each activation increments the identity's epoch in one statement
 * (the first activation gets 1). Right for one node, and for any cluster without its own token.
 */
export function incrementingEpochs(nodeId: string): EpochSource {
  return {
    async acquire(identity, pool) {
      const result = await pool.query<{ epoch: string }>(
        `INSERT INTO actor_activations (identity, epoch, node_id) VALUES ($1, 1, $2)
         ON CONFLICT (identity) DO UPDATE
           SET epoch = actor_activations.epoch + 1, node_id = EXCLUDED.node_id, activated_at = now()
         RETURNING epoch`,
        [identity, nodeId],
      );
      return epochFrom(result.rows[0]?.epoch, identity);
    },
  };
}

/**
 * The cluster layer is the source (e.g. the create revision of the etcd activation key): the
 * supplied epoch is recorded only when it is newer than the recorded one; an older or equal one
 * means this activation is already stale, and acquiring fails with StaleEpochError.
 */
export function suppliedEpochs(
  nodeId: string,
  supply: (identity: string) => bigint | Promise<bigint>,
): EpochSource {
  return {
    async acquire(identity, pool) {
      const epoch = await supply(identity);
      const result = await pool.query<{ epoch: string }>(
        `INSERT INTO actor_activations (identity, epoch, node_id) VALUES ($1, $2, $3)
         ON CONFLICT (identity) DO UPDATE
           SET epoch = EXCLUDED.epoch, node_id = EXCLUDED.node_id, activated_at = now()
           WHERE actor_activations.epoch < EXCLUDED.epoch
         RETURNING epoch`,
        [identity, String(epoch), nodeId],
      );
      if (result.rows.length === 0) {
        throw new StaleEpochError(
          identity,
          epoch,
          `supplied epoch ${epoch} of ${identity} is not newer than the recorded one`,
        );
      }
      return epochFrom(result.rows[0]?.epoch, identity);
    },
  };
}

function epochFrom(text: string | undefined, identity: string): bigint {
  if (text === undefined) throw new InternalError(`taking an epoch for ${identity} returned no row`);
  return BigInt(text);
}
