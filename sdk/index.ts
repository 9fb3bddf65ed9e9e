// The typed gRPC client SDK of Ninja Gekko: see sdk/README.md.
export { NinjaClient } from './client.ts';
export { DEFAULT_GATEWAY_ADDRESS } from './client-options.ts';
export type { NinjaClientOptions } from './client-options.ts';
export type { TlsOptions } from './gateway-connection.ts';
export type { AuthApi } from './auth-api.ts';
export type { RouteLeg, RouteOrderInput, RouteOrderResult, RoutePlan, TradingApi } from './trading-api.ts';
export type { MarketDataApi } from './market-data-api.ts';
export type { AccountApi } from './account-api.ts';
export type { ClusterApi } from './cluster-api.ts';
export {
  CancelledError,
  GatewayUnreachableError,
  UnimplementedError,
  UnknownError,
  FIELD_METADATA_KEY,
} from './errors.ts';
export {
  AbortedError,
  AlreadyExistsError,
  DataLossError,
  DeadlineExceededError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  NinjaError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  isNinjaError,
} from './internal.ts';
export { Idempotency, isRetryable } from './retry-policy.ts';
export type { RetryOptions } from './retry-policy.ts';
export type { StreamResumeOptions } from './resumable-stream.ts';
export { formatInstrumentId, parseInstrumentId } from './convert-values.ts';
export {
  ApiKeyScope,
  Liquidity,
  MemberState,
  OrderSide,
  OrderStatus,
  OrderType,
  Role,
  TimeInForce,
} from './types.ts';
export type {
  Account,
  ApiKey,
  Balance,
  ClusterMember,
  ClusterStatus,
  CreatedApiKey,
  DecimalString,
  Fill,
  Instrument,
  InstrumentId,
  InstrumentInput,
  KillSwitchInput,
  ListOrdersInput,
  MarketTrade,
  Money,
  Order,
  OrderBook,
  OrderBookEvent,
  OrderBookLevel,
  OrderPage,
  OrderRef,
  OrderUpdate,
  PlaceOrderInput,
  Pnl,
  Position,
  RiskLimits,
  Tokens,
  Unrecognized,
  User,
} from './types.ts';
