// The order history table (migration 0004) in PostgreSQL / CockroachDB.
import type pg from 'pg';
import type { AccountId, ClientOrderId, Order } from '../../domain/index.ts';
import { decodeOrder } from './order-codec.ts';
import { encodeTracked } from './orders-state.ts';
import type { TrackedOrder } from './orders-state.ts';

/** Where finished orders go when they leave an order manager's memory (docs/trading.md). */
export interface OrderHistoryStore {
  /** Writes finished orders (a rewrite of one already there is the same row); resolves once committed. */
  archive(accountId: AccountId, orders: readonly TrackedOrder[]): Promise<void>;
  /** The archived order with that client order id, if any. */
  find(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | undefined>;
  /** Calls `visit` with every archived client order id of the account, a page at a time. */
  forEachClientOrderId(accountId: AccountId, visit: (ids: readonly string[]) => void): Promise<void>;
}

/** Rows per INSERT (5 parameters each, far below the 65,535 a statement may carry). */
const ARCHIVE_ROWS = 1_000;
/** Ids per page when an activation rebuilds its filter. */
const ID_PAGE = 10_000;

export function pgOrderHistoryStore(pool: pg.Pool): OrderHistoryStore {
  return {
    async archive(accountId, orders) {
      for (let start = 0; start < orders.length; start += ARCHIVE_ROWS) {
        const page = orders.slice(start, start + ARCHIVE_ROWS);
        const params: unknown[] = [accountId];
        const rows = page.map((tracked) => {
          const { order } = tracked;
          const base = params.length;
          params.push(
            order.clientOrderId,
            order.instrumentId,
            order.status,
            String(order.updatedAt),
            JSON.stringify(encodeTracked(tracked)),
          );
          return `($${base + 1}::TEXT, $${base + 2}::TEXT, $${base + 3}::TEXT, $${base + 4}::INT8, $${base + 5}::JSONB)`;
        });
        await pool.query(
          `INSERT INTO order_history (account_id, client_order_id, instrument_id, status, finished_at, tracked)
           SELECT $1::UUID, r.client_order_id, r.instrument_id, r.status,
                  to_timestamp(r.finished_ms::FLOAT8 / 1000), r.tracked
             FROM (VALUES ${rows.join(', ')}) AS r (client_order_id, instrument_id, status, finished_ms, tracked)
           ON CONFLICT (account_id, client_order_id) DO UPDATE
             SET instrument_id = excluded.instrument_id, status = excluded.status,
                 finished_at = excluded.finished_at, tracked = excluded.tracked`,
          params,
        );
      }
    },

    async find(accountId, clientOrderId) {
      const result = await pool.query<{ tracked: { order: Parameters<typeof decodeOrder>[0] } }>(
        'SELECT tracked FROM order_history WHERE account_id = $1::UUID AND client_order_id = $2::TEXT',
        [accountId, clientOrderId],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : decodeOrder(row.tracked.order);
    },

    async forEachClientOrderId(accountId, visit) {
      let after = '';
      for (;;) {
        const result = await pool.query<{ client_order_id: string }>(
          `SELECT client_order_id FROM order_history
            WHERE account_id = $1::UUID AND client_order_id > $2::TEXT
            ORDER BY client_order_id LIMIT ${ID_PAGE}`,
          [accountId, after],
        );
        const ids = result.rows.map((row) => row.client_order_id);
        if (ids.length > 0) visit(ids);
        const last = ids[ids.length - 1];
        if (last === undefined || ids.length < ID_PAGE) return;
        after = last;
      }
    },
  };
}
