export { CoinbaseRestTransport } from './client.ts';
export type { CoinbaseRestOptions, RequestSpec } from './client.ts';
export { CoinbaseRestClient } from './rest-client.ts';
export type { CallContext, ListFillsQuery, ListOrdersQuery } from './rest-client.ts';
export { RateLimiter } from './rate-limiter.ts';
export type { RateLimiterOptions } from './rate-limiter.ts';
export {
  CoinbaseApiError,
  CoinbaseAuthenticationError,
  CoinbaseNotFoundError,
  CoinbasePermissionError,
  CoinbaseRateLimitError,
  CoinbaseRequestRejectedError,
  CoinbaseUnavailableError,
  CoinbaseUnknownOutcomeError,
  venueError,
} from './error.ts';
export type { CoinbaseError, VenueErrorFields } from './error.ts';
export type {
  AccountPage,
  CancelResult,
  CoinbaseAccount,
  CoinbaseFill,
  CoinbaseOrder,
  CreateOrderRequest,
  CreateOrderResponse,
  FillPage,
  OrderConfiguration,
  OrderPage,
  PriceBook,
  PriceBookLevel,
} from './models.ts';
export { configurationFromWire, configurationToWire } from './order-configuration.ts';
export {
  parseAccountPage,
  parseCancelResults,
  parseCreateOrderResponse,
  parseFillPage,
  parseGetOrder,
  parseOrder,
  parseOrderPage,
  parsePriceBook,
} from './parse-responses.ts';
export { findByClientOrderId, placeOrderSafely } from './order-safety.ts';
export type { SafePlacement, SafePlacementOptions } from './order-safety.ts';
