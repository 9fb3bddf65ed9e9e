export { CoinbaseCredentials, JwtAlgorithm } from './credentials.ts';
export { JWT_ISSUER, JWT_LIFETIME_SECONDS, jwtUri, restJwt, websocketJwt } from './jwt.ts';
export type { JwtOptions } from './jwt.ts';
export {
  BROKERAGE_PREFIX,
  COINBASE_REST_URL,
  COINBASE_URLS,
  COINBASE_WS_MARKET_URL,
  COINBASE_WS_USER_URL,
  restHost,
} from './urls.ts';
export type { CoinbaseUrls } from './urls.ts';
export {
  CancelFailureReason,
  Channel,
  CoinbaseOrderStatus,
  CoinbaseSide,
  CoinbaseTimeInForce,
  FailureReason,
  LiquidityIndicator,
  OrderConfigurationKind,
  StopDirection,
} from './enums.ts';
export { MalformedPayloadError } from './parse-error.ts';
export type {
  CoinbaseMessage,
  Heartbeat,
  L2Event,
  L2Update,
  MarketTrade,
  Subscriptions,
  Ticker,
  TickerEvent,
  TradesEvent,
} from './market-data.ts';
export type { UserEvent, UserOrder } from './user-data.ts';
export { parseMessage, parseUserOrder } from './parse-messages.ts';
export { parseProduct, toInstrument } from './parse-product.ts';
export type { CoinbaseProduct } from './parse-product.ts';
export { coinbaseMetrics } from './metrics.ts';
export type { CoinbaseMetrics } from './metrics.ts';
