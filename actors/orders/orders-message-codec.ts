// How `orders/<accountId>` messages and replies cross nodes. Commands are JSON already (decimals as
// text, venue events in wire form); replies carry domain orders, so they travel tagged: an order
// in its journal form (order-codec.ts), a list of them, a count, a reconciliation report or none.
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Order } from '../../domain/index.ts';
import { jsonMessageCodec } from '../../cluster/index.ts';
import type { MessageCodec } from '../../cluster/index.ts';
import { decodeOrder, encodeOrder } from './order-codec.ts';
import type { OrderJson } from './order-codec.ts';
import type { OrdersCommand, ReconcileReport } from './order-manager-messages.ts';

/** The commands other nodes (and the gateway, strategies, venue actors) may send. */
export const ORDERS_COMMAND_TYPES: readonly OrdersCommand['type'][] = [
  'place',
  'cancel',
  'cancel-replace',
  'cancel-all',
  'get',
  'list',
  'reconcile',
  'venue-execution',
];

type ReplyJson =
  | { readonly kind: 'none' }
  | { readonly kind: 'order'; readonly order: OrderJson }
  | { readonly kind: 'orders'; readonly orders: readonly OrderJson[] }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'report'; readonly report: ReconcileReport };

function replyJson(reply: unknown): ReplyJson {
  if (reply === undefined || reply === null) return { kind: 'none' };
  if (typeof reply === 'number') return { kind: 'count', count: reply };
  if (Array.isArray(reply)) return { kind: 'orders', orders: (reply as readonly Order[]).map(encodeOrder) };
  if (typeof reply === 'object' && 'trigger' in reply)
    return { kind: 'report', report: reply as ReconcileReport };
  return { kind: 'order', order: encodeOrder(reply as Order) };
}

function fromReplyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null)
    throw new InvalidArgumentError('reply', 'must be an object');
  const reply = value as ReplyJson;
  switch (reply.kind) {
    case 'none':
      return undefined;
    case 'count':
      return reply.count;
    case 'orders':
      return reply.orders.map(decodeOrder);
    case 'report':
      return reply.report;
    case 'order':
      return decodeOrder(reply.order);
    default:
      throw new InvalidArgumentError('reply.kind', 'must be none, count, orders, report or order');
  }
}

export function ordersMessageCodec(): MessageCodec<OrdersCommand> {
  const json = jsonMessageCodec<OrdersCommand>({ types: ORDERS_COMMAND_TYPES });
  return {
    encodeMessage: (message) => json.encodeMessage(message),
    decodeMessage: (type, payload, replyTo) => json.decodeMessage(type, payload, replyTo),
    encodeReply: (reply) => json.encodeReply(replyJson(reply)),
    decodeReply: (type, payload) => fromReplyJson(json.decodeReply(type, payload)),
  };
}
