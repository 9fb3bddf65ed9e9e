// ListOrders over both places an account's orders live: the order manager's memory (open orders
// and the most recent finished ones) and the order history table (finished orders the manager no
// longer keeps, migrations 0004 and 0005). Pages are newest first and keyed by the last order
// returned, so a page never skips or repeats an order while others are placed or archived.
import type pg from 'pg';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Order } from '../../domain/index.ts';
import { decodeOrder } from '../../actors/orders/order-codec.ts';
import type { OrderJson } from '../../actors/orders/order-codec.ts';

/** Where a page starts: after the order created at `createdAt` with id `id` (newest first, ties by id). */
interface PageKey {
  readonly createdAt: number;
  readonly id: string;
}

export interface OrderListingQuery {
  readonly accountId: string;
  /** The orders the order manager holds now (any order). */
  readonly live: readonly Order[];
  readonly instrumentId: string | undefined;
  /** Empty: every status. */
  readonly statuses: ReadonlySet<string>;
  readonly pageSize: number;
  /** '' for the first page. */
  readonly pageToken: string;
}

export interface OrderListingPage {
  readonly orders: readonly Order[];
  /** '' on the last page. */
  readonly nextPageToken: string;
}

const TOKEN_PREFIX = 'k:';
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function tokenOf(order: Order): string {
  return Buffer.from(`${TOKEN_PREFIX}${order.createdAt}:${order.id}`, 'utf8').toString('base64url');
}

/** The key a page token carries; INVALID_ARGUMENT for anything this API did not return. */
function keyOf(token: string): PageKey | undefined {
  if (token === '') return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const separator = text.indexOf(':', TOKEN_PREFIX.length);
  const createdAt = Number(text.slice(TOKEN_PREFIX.length, separator));
  const id = text.slice(separator + 1);
  if (
    !text.startsWith(TOKEN_PREFIX) ||
    separator < 0 ||
    !Number.isSafeInteger(createdAt) ||
    createdAt < 0 ||
    !UUID_TEXT.test(id)
  ) {
    throw new InvalidArgumentError('pageToken', 'is not a token this API returned');
  }
  return { createdAt, id };
}

/** Newest first; orders created in the same millisecond by id (code units, as the UUID index orders them). */
function newestFirst(a: Order, b: Order): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function isAfter(order: Order, key: PageKey | undefined): boolean {
  if (key === undefined) return true;
  return order.createdAt < key.createdAt || (order.createdAt === key.createdAt && order.id > key.id);
}

export class OrderListing {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * One page: the live orders after the key and the archived ones after it (one indexed query of
   * at most pageSize + 1 rows), merged newest first. An order both live and archived (for the
   * moment between its archive commit and its leaving memory) is listed once, as the manager holds it.
   */
  async page(query: OrderListingQuery): Promise<OrderListingPage> {
    const key = keyOf(query.pageToken);
    const matches = (order: Order) =>
      (query.instrumentId === undefined || order.instrumentId === query.instrumentId) &&
      (query.statuses.size === 0 || query.statuses.has(order.status));
    const live = query.live.filter((order) => matches(order) && isAfter(order, key));
    const archived = await this.archivedAfter(query, key, query.pageSize + 1);
    const liveIds = new Set(query.live.map((order) => order.id));
    const merged = [...live, ...archived.filter((order) => !liveIds.has(order.id))].sort(newestFirst);
    const orders = merged.slice(0, query.pageSize);
    const last = orders[orders.length - 1];
    return {
      orders,
      nextPageToken: merged.length > orders.length && last !== undefined ? tokenOf(last) : '',
    };
  }

  /** The archived order with this order id, if the account has one. */
  async findByOrderId(accountId: string, orderId: string): Promise<Order | undefined> {
    if (!UUID_TEXT.test(orderId)) return undefined;
    const result = await this.pool.query<{ tracked: { order: OrderJson } }>(
      'SELECT tracked FROM order_history WHERE account_id = $1::UUID AND order_id = $2::UUID',
      [accountId, orderId],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : decodeOrder(row.tracked.order);
  }

  private async archivedAfter(
    query: OrderListingQuery,
    key: PageKey | undefined,
    limit: number,
  ): Promise<Order[]> {
    const params: unknown[] = [query.accountId];
    const where = ['account_id = $1::UUID'];
    if (key !== undefined) {
      params.push(String(key.createdAt), key.id);
      where.push('(created_ms < $2::INT8 OR (created_ms = $2::INT8 AND order_id > $3::UUID))');
    }
    if (query.instrumentId !== undefined) {
      params.push(query.instrumentId);
      where.push(`instrument_id = $${params.length}::TEXT`);
    }
    if (query.statuses.size > 0) {
      params.push([...query.statuses]);
      where.push(`status = ANY($${params.length}::TEXT[])`);
    }
    params.push(limit);
    const result = await this.pool.query<{ tracked: { order: OrderJson } }>(
      `SELECT tracked FROM order_history WHERE ${where.join(' AND ')}
        ORDER BY created_ms DESC, order_id LIMIT $${params.length}::INT8`,
      params,
    );
    return result.rows.map((row) => decodeOrder(row.tracked.order));
  }
}
