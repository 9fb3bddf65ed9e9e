export { OandaRestTransport, describe as describeFetchError } from './client.ts';
export type { OandaRequest, OandaRestOptions } from './client.ts';
export { OandaRestClient, orderSpecifier } from './rest-client.ts';
export type { OandaCallOptions } from './rest-client.ts';
export { TokenBucket } from './rate-limiter.ts';
export {
  OandaAuthenticationError,
  OandaNotFoundError,
  OandaOrderRejectedError,
  OandaPermissionError,
  OandaRateLimitError,
  OandaRequestRejectedError,
  OandaUnavailableError,
  OandaUnknownOutcomeError,
  oandaError,
} from './error.ts';
export type { OandaError, OandaErrorFields } from './error.ts';
export type { OandaAccountSummary, OandaOrderCreateResult, OandaOrderSpec } from './models.ts';
export { parseAccountSummary, parseOrderCreateResponse } from './parse-responses.ts';
export { atPrecision, toOrderSpec } from './order-request.ts';
export { createOrderSafely } from './order-safety.ts';
export type { SafeCreation, SafeCreationOptions } from './order-safety.ts';
