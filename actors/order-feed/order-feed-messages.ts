// `order-feed/<accountId>` across nodes: fills in the portfolio's wire form (decimals as text).
import { NodeRole, jsonMessageCodec } from '../../cluster/index.ts';
import type { KindDefinition, MessageCodec } from '../../cluster/index.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type { PortfolioFillWire } from '../portfolio/index.ts';
import type { FeedBatch } from './fill-feed-log.ts';

export const ORDER_FEED_KIND_NAME = 'order-feed';

/**
 * Hosted by trading nodes, beside the order managers whose fills it relays; it stops after them
 * (stage 2, with risk and portfolio), so an order manager's last fills still reach it on a drain.
 */
export const ORDER_FEED_KIND: KindDefinition = {
  name: ORDER_FEED_KIND_NAME,
  roles: [NodeRole.trading],
  keySegments: 1,
  description: 'order-feed/<accountId>: the account’s journaled fills, for gateway nodes streaming them',
  stopStage: 2,
};

/** The identity of `accountId`'s feed. */
export function orderFeedIdentity(accountId: string): string {
  return `${ORDER_FEED_KIND_NAME}/${accountId}`;
}

/** Longest a fetch may wait for a fill before it is answered empty. */
export const MAX_FEED_WAIT_MS = 30_000;

export type OrderFeedCommand =
  /** A fill the account's order manager journaled (sent by the node hosting it). */
  | { readonly type: 'feed-fill'; readonly fill: PortfolioFillWire }
  /** Fills a previous activation had not yet given every follower (sent by it as it passivates). */
  | { readonly type: 'feed-hand-over'; readonly fills: readonly PortfolioFillWire[] }
  /**
   * A gateway node's follower asks for the fills after its cursor (`feedId` and `after` absent on
   * its first fetch: from now on); answered at once when there are some, else as soon as one
   * arrives or after `waitMs` (empty). One waiting fetch per node: a newer one answers the older.
   */
  | {
      readonly type: 'feed-fetch';
      readonly nodeId: string;
      readonly feedId?: string;
      readonly after?: number;
      readonly waitMs: number;
      readonly replyTo: ReplyTo<FeedBatch>;
    };

export const ORDER_FEED_COMMAND_TYPES = ['feed-fill', 'feed-hand-over', 'feed-fetch'] as const;

export function orderFeedMessageCodec(): MessageCodec<OrderFeedCommand> {
  return jsonMessageCodec<OrderFeedCommand>({ types: ORDER_FEED_COMMAND_TYPES });
}
