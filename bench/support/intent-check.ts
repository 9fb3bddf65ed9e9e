import type pg from 'pg';
import type { Order } from '../../domain/index.ts';

/** Bytes the answered orders' keys start with; the buffer doubles when full. */
const INITIAL_BYTES = 1 << 20;

/**
 * The orders a bench got an answer for, checked against the journal afterwards: each must have its
 * intent journaled (the order manager writes it before the venue call, so a missing one would mean
 * a venue order the node could lose in a crash).
 *
 * The keys are kept as UTF-8 bytes in one growing buffer, not as a string per order: the bench runs
 * in the process it measures, and a string (and a Set entry) kept per answered order was promoted by
 * the GC with every order and stayed in the old generation for the whole run.
 */
export class AnsweredOrders {
  readonly #encoder = new TextEncoder();
  #bytes = new Uint8Array(INITIAL_BYTES);
  #length = 0;
  #count = 0;

  add(order: Order): Order {
    // Account and client order ids are validated: neither holds a NUL or a newline.
    const key = `orders/${order.accountId}\u0000${order.clientOrderId}\n`;
    let written = this.#encoder.encodeInto(key, this.#bytes.subarray(this.#length));
    while (written.read < key.length) {
      const larger = new Uint8Array(this.#bytes.length * 2);
      larger.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = larger;
      written = this.#encoder.encodeInto(key, this.#bytes.subarray(this.#length));
    }
    this.#length += written.written;
    this.#count += 1;
    return order;
  }

  get size(): number {
    return this.#count;
  }

  /** How many answered orders have no intent in the journal (a key answered twice counts once). */
  async missingIntents(pool: pg.Pool): Promise<number> {
    const result = await pool.query<{ identity: string; client_order_id: string }>(
      `SELECT identity, convert_from(payload, 'UTF8')::jsonb #>> '{tracked,order,clientOrderId}' AS client_order_id
       FROM actor_journal WHERE identity LIKE 'orders/%' AND event_type = 'intent'`,
    );
    const journaled = new Set(result.rows.map((r) => `${r.identity}\u0000${r.client_order_id}`));
    const keys = new Set(new TextDecoder().decode(this.#bytes.subarray(0, this.#length)).split('\n'));
    keys.delete('');
    let missing = 0;
    for (const key of keys) if (!journaled.has(key)) missing += 1;
    return missing;
  }
}
