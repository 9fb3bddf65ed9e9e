export { CoinbaseConnector } from './connector.ts';
export type { CoinbaseConnectorOptions } from './connector.ts';
export { FINISHED_ORDERS_SEEN, FINISHED_ORDERS_SEEN_MS, UserStream } from './user-stream.ts';
export type { UserStreamOptions } from './user-stream.ts';
export {
  instrumentOf,
  toConfiguration,
  toCreateOrder,
  toFill,
  toOrderStatus,
  toSnapshot,
  userOrderSnapshot,
} from './order-mapping.ts';
