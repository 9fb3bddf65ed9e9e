/**
 * The SDK's one boundary with the rest of the repository: everything it uses from the generated
 * protobuf code (proto/gen), domain/ (errors, decimal grammar, identifiers) and observability/ is
 * re-exported here and nowhere else is imported from outside sdk/. Publishing the SDK on its own means
 * replacing this one file (with copies of those modules, or their published packages).
 */
export { AccountServiceService } from '../proto/gen/ninja/v1/account.ts';
export {
  ClusterServiceService,
  MemberState as ProtoMemberState,
} from '../proto/gen/ninja/v1/cluster_service.ts';
export type { GetClusterStatusResponse } from '../proto/gen/ninja/v1/cluster_service.ts';
export type {
  GetPnlResponse,
  Account as ProtoAccount,
  Balance as ProtoBalance,
  Position as ProtoPosition,
  RiskLimits as ProtoRiskLimits,
} from '../proto/gen/ninja/v1/account.ts';
export {
  AuthServiceService,
  Role as ProtoRole,
  ApiKeyScope as ProtoScope,
} from '../proto/gen/ninja/v1/auth.ts';
export type { ApiKey as ProtoApiKey, User as ProtoUser, TokenPair } from '../proto/gen/ninja/v1/auth.ts';
export { createLogger, MetricsRegistry } from '../observability/index.ts';
export type { Logger } from '../observability/index.ts';
export {
  AbortedError,
  AlreadyExistsError,
  DataLossError,
  DeadlineExceededError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  isNinjaError,
  NinjaError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  UnimplementedError,
} from '../domain/errors.ts';
export type { NinjaErrorOptions } from '../domain/errors.ts';
export type { Decimal as ProtoDecimal, Money as ProtoMoney } from '../proto/gen/ninja/v1/decimal.ts';
export type {
  Instrument as ProtoInstrument,
  InstrumentId as ProtoInstrumentId,
} from '../proto/gen/ninja/v1/instrument.ts';
export { MarketDataServiceService } from '../proto/gen/ninja/v1/market_data.ts';
export type {
  OrderBook as ProtoBook,
  MarketTrade as ProtoTrade,
  StreamOrderBookResponse,
} from '../proto/gen/ninja/v1/market_data.ts';
export {
  Liquidity as ProtoLiquidity,
  OrderSide as ProtoSide,
  OrderStatus as ProtoStatus,
  TimeInForce as ProtoTif,
  OrderType as ProtoType,
} from '../proto/gen/ninja/v1/order.ts';
export type { Fill as ProtoFill, Order as ProtoOrder } from '../proto/gen/ninja/v1/order.ts';
export { newClientOrderId, parseClientOrderId, parseInstrumentIdParts } from '../domain/identifiers/index.ts';
export { decimalSyntaxError } from '../domain/values/index.ts';
export type { Timestamp } from '../proto/gen/google/protobuf/timestamp.ts';
export { TradingServiceService } from '../proto/gen/ninja/v1/trading.ts';
export type { PlaceOrderRequest } from '../proto/gen/ninja/v1/trading.ts';
