export { BinanceUsCredentials } from './credentials.ts';
export {
  BINANCE_US_REST_URL,
  BINANCE_US_URLS,
  BINANCE_US_WS_URL,
  combinedStreamUrl,
  userDataStreamUrl,
} from './urls.ts';
export type { BinanceUsUrls } from './urls.ts';
export {
  DEFAULT_RECV_WINDOW_MS,
  MAX_RECV_WINDOW_MS,
  encodeParams,
  signRequest,
  signTotalParams,
} from './signing.ts';
export type { RequestParams, SignOptions, SignedRequestParts } from './signing.ts';
export { ServerClock } from './server-clock.ts';
export {
  BinanceExecutionType,
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceTimeInForce,
  NewOrderRespType,
  isOneOf,
} from './enums.ts';
export { MalformedPayloadError } from './parse-error.ts';
export { asObject, parseJson } from './parse-fields.ts';
export type { WireObject } from './parse-fields.ts';
export type {
  AggTrade,
  BookTicker,
  DepthDiff,
  DepthLevel,
  DepthSnapshot,
  MarketDataEvent,
  Trade,
} from './market-data.ts';
export {
  parseAggTrade,
  parseBookTicker,
  parseCombinedFrame,
  parseDepthDiff,
  parseDepthSnapshot,
  parseStreamPayload,
  parseTrade,
  streamType,
} from './parse-market-data.ts';
export { parseExchangeInfo } from './parse-exchange-info.ts';
export type { BinanceUsExchangeInfo, BinanceUsRateLimit, BinanceUsSymbolInfo } from './symbol-info.ts';
export type {
  AccountBalance,
  AccountPosition,
  BalanceUpdate,
  ExecutionReport,
  UserDataEvent,
} from './user-data.ts';
export {
  parseAccountPosition,
  parseBalanceUpdate,
  parseExecutionReport,
  parseUserDataFrame,
} from './parse-user-data.ts';
export { toInstrument } from './parse-instrument.ts';
