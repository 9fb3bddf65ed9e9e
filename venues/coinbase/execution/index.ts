export { CoinbaseConnector } from './connector.ts';
export type { CoinbaseConnectorOptions } from './connector.ts';
export { UserStream } from './user-stream.ts';
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
