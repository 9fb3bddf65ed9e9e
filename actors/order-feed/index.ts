// order-feed/<accountId>: the account's journaled fills, relayed to the gateway nodes streaming
// them (docs/gateway.md "Order update streams").
export { DEFAULT_FILL_FEED_LOG, FillFeedLog, fillWireKey } from './fill-feed-log.ts';
export type { FeedBatch, FillFeedLogOptions } from './fill-feed-log.ts';
export { orderFeedKind } from './order-feed-actor.ts';
export type { OrderFeedDeps, OrderFeedKind } from './order-feed-actor.ts';
export { orderFeedMetrics } from './order-feed-metrics.ts';
export type { OrderFeedMetrics } from './order-feed-metrics.ts';
export {
  MAX_FEED_WAIT_MS,
  ORDER_FEED_COMMAND_TYPES,
  ORDER_FEED_KIND,
  ORDER_FEED_KIND_NAME,
  orderFeedIdentity,
  orderFeedMessageCodec,
} from './order-feed-messages.ts';
export type { OrderFeedCommand } from './order-feed-messages.ts';
