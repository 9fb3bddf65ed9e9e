import type { SimApiKey } from '../common/auth.ts';
import { SimErrors } from '../common/errors.ts';
import { expandFill } from '../../compact-fill.ts';
import { commission, fillJson, orderJson, statusOf } from '../common/format.ts';
import { sweepExpired } from '../common/order-records.ts';
import type { CoinbaseSimState, SimOrderRecord } from '../common/sim-state.ts';

function owned(state: CoinbaseSimState, key: SimApiKey, orderId: string): SimOrderRecord | undefined {
  const record = state.orders.get(orderId);
  return record?.accountId === key.accountId ? record : undefined;
}

function limitOf(query: URLSearchParams, fallback: number, max: number): number {
  const text = query.get('limit');
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw SimErrors.invalidArgument('limit must be a positive integer');
  return Math.min(n, max);
}

function offsetOf(query: URLSearchParams): number {
  const text = query.get('cursor');
  if (text === null || text === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw SimErrors.invalidArgument('cursor is not valid');
  return n;
}

/** `POST /orders/batch_cancel`. */
export function batchCancel(state: CoinbaseSimState, key: SimApiKey, raw: unknown): unknown {
  sweepExpired(state);
  const ids = (raw as { order_ids?: unknown } | null)?.order_ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > 100 ||
    !ids.every((i) => typeof i === 'string')
  ) {
    throw SimErrors.invalidArgument('order_ids must be a list of 1 to 100 order ids');
  }
  return {
    results: ids.map((orderId) => {
      const record = owned(state, key, orderId);
      if (record === undefined)
        return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: orderId };
      const o = record.last;
      if (o === undefined || statusOf(record) !== 'OPEN') {
        return { success: false, failure_reason: 'COMMANDER_REJECTED_CANCEL_ORDER', order_id: orderId };
      }
      const result = state.engine.cancel(key.accountId, { orderId: o.orderId }, record.productId);
      if (!result.cancelled)
        return { success: false, failure_reason: 'COMMANDER_REJECTED_CANCEL_ORDER', order_id: orderId };
      record.last = result.order;
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: orderId };
    }),
  };
}

/** `GET /orders/historical/{order_id}`. */
export function getOrder(state: CoinbaseSimState, key: SimApiKey, orderId: string): unknown {
  sweepExpired(state);
  const record = owned(state, key, orderId);
  if (record === undefined) throw SimErrors.notFound('order with this orderID was not found');
  return { order: orderJson(record) };
}

/** `GET /orders/historical/batch`: newest first, filtered by product_ids, order_status, start_date. */
export function listOrders(state: CoinbaseSimState, key: SimApiKey, query: URLSearchParams): unknown {
  sweepExpired(state);
  const products = query.getAll('product_ids');
  const statuses = query.getAll('order_status');
  const start = query.get('start_date');
  const since = start === null || start === '' ? 0 : Date.parse(start);
  if (!Number.isFinite(since)) throw SimErrors.invalidArgument('start_date must be an RFC 3339 time');
  const limit = limitOf(query, 100, 1000);
  const offset = offsetOf(query);
  const matching = [...state.orders.values()]
    .filter(
      (r) =>
        r.accountId === key.accountId &&
        (products.length === 0 || products.includes(r.productId)) &&
        (statuses.length === 0 || statuses.includes(statusOf(r))) &&
        r.createdAt >= since,
    )
    .reverse();
  const page = matching.slice(offset, offset + limit);
  const hasNext = offset + limit < matching.length;
  return {
    orders: page.map(orderJson),
    sequence: '0',
    has_next: hasNext,
    cursor: hasNext ? String(offset + limit) : '',
  };
}

/** `GET /orders/historical/fills`: by order_ids (and/or product_ids), oldest first. */
export function listFills(state: CoinbaseSimState, key: SimApiKey, query: URLSearchParams): unknown {
  const orderIds = [...query.getAll('order_ids'), ...query.getAll('order_id')];
  const products = query.getAll('product_ids');
  const limit = limitOf(query, 100, 1000);
  const offset = offsetOf(query);
  const rows: Record<string, unknown>[] = [];
  for (const record of state.orders.values()) {
    if (record.accountId !== key.accountId) continue;
    if (orderIds.length > 0 && !orderIds.includes(record.orderId)) continue;
    if (products.length > 0 && !products.includes(record.productId)) continue;
    for (const text of record.fills) {
      const fill = expandFill(text);
      rows.push(fillJson(record, fill, commission(record, fill)));
    }
  }
  const page = rows.slice(offset, offset + limit);
  return { fills: page, cursor: offset + limit < rows.length ? String(offset + limit) : '' };
}
