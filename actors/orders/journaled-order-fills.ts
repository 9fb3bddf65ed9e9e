import type pg from 'pg';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { OrderFilled } from '../../domain/index.ts';
import { jsonCodec } from '../kernel/index.ts';
import { decodeOrderEvent } from './order-codec.ts';
import type { OrdersEvent } from './orders-state.ts';

/**
 * The newest fills an order manager journaled, newest first: at most `limit`. What an activation
 * re-publishes to the portfolio (a crash between journaling a fill and publishing it would
 * otherwise leave the portfolio without it), read from the journal itself rather than asked of the
 * venue again.
 */
export type RecentOrderFills = (identity: string, limit: number) => Promise<OrderFilled[]>;

/** How far back (events of the identity) the read looks for fills: a lost publication is among the last. */
const RECENT_EVENTS = 10_000;

/**
 * RecentOrderFills over `actor_journal`: the FILLED events among the identity's last 10,000 events
 * (a backward scan of its primary key, bounded whatever the journal's length). A payload that is not
 * a FILLED order event is refused (InvalidArgumentError naming the sequence number), not skipped.
 */
export function pgRecentOrderFills(pool: pg.Pool): RecentOrderFills {
  const codec = jsonCodec<OrdersEvent>();
  return async (identity, limit) => {
    const result = await pool.query<{ sequence_nr: string; payload: Buffer }>(
      `SELECT sequence_nr, payload FROM actor_journal
        WHERE identity = $1 AND event_type = 'FILLED'
          AND sequence_nr > (SELECT max(sequence_nr) FROM actor_journal WHERE identity = $1) - $3
        ORDER BY sequence_nr DESC
        LIMIT $2`,
      [identity, limit, RECENT_EVENTS],
    );
    return result.rows.map((row) => {
      const event = codec.decode(row.payload);
      const decoded = event.type === 'event' ? decodeOrderEvent(event.event) : undefined;
      if (decoded?.kind !== 'FILLED') {
        throw new InvalidArgumentError(
          'actor_journal.payload',
          `event ${row.sequence_nr} of ${identity} is typed FILLED but holds ${event.type === 'event' ? event.event.kind : event.type}`,
        );
      }
      return decoded;
    });
  };
}
