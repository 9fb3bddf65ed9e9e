export { BinanceUsRestTransport, Security } from './client.ts';
export type { BinanceUsRestOptions, RequestSpec } from './client.ts';
export { BinanceUsRestClient } from './rest-client.ts';
export { RateLimiter } from './rate-limiter.ts';
export type { RateLimiterOptions } from './rate-limiter.ts';
export {
  BinanceUsApiError,
  BinanceUsAuthenticationError,
  BinanceUsNoSuchOrderError,
  BinanceUsOrderRejectedError,
  BinanceUsPermissionError,
  BinanceUsRateLimitError,
  BinanceUsRequestRejectedError,
  BinanceUsTimestampError,
  BinanceUsUnavailableError,
  BinanceUsUnknownOutcomeError,
  venueError,
} from './error.ts';
export type { BinanceUsError, VenueErrorFields } from './error.ts';
export type {
  AccountInfo,
  AccountTrade,
  CancelOrderRequest,
  NewOrderRequest,
  NewOrderResponse,
  OrderAck,
  OrderFill,
  OrderRef,
  OrderState,
} from './models.ts';
export {
  parseAccount,
  parseAccountTrades,
  parseNewOrderResponse,
  parseOrderList,
  parseOrderState,
} from './parse-responses.ts';
export { placeOrderSafely, resolveUnknownOutcome } from './order-safety.ts';
export type { SafePlacement, SafePlacementOptions } from './order-safety.ts';
