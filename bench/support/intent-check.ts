import type pg from 'pg';
import type { Order } from '../../domain/index.ts';

/**
 * The orders a bench got an answer for, checked against the journal afterwards: each must have its
 * intent journaled (the order manager writes it before the venue call, so a missing one would mean
 * a venue order the node could lose in a crash).
 */
export class AnsweredOrders {
  readonly #keys = new Set<string>();

  add(order: Order): Order {
    this.#keys.add(`orders/${order.accountId}\u0000${order.clientOrderId}`);
    return order;
  }

  get size(): number {
    return this.#keys.size;
  }

  /** How many answered orders have no intent in the journal. */
  async missingIntents(pool: pg.Pool): Promise<number> {
    const result = await pool.query<{ identity: string; client_order_id: string }>(
      `SELECT identity, convert_from(payload, 'UTF8')::jsonb #>> '{tracked,order,clientOrderId}' AS client_order_id
       FROM actor_journal WHERE identity LIKE 'orders/%' AND event_type = 'intent'`,
    );
    const journaled = new Set(result.rows.map((r) => `${r.identity}\u0000${r.client_order_id}`));
    let missing = 0;
    for (const key of this.#keys) if (!journaled.has(key)) missing += 1;
    return missing;
  }
}
