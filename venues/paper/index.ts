// The paper venue: an exact, deterministic price-time priority matching engine with balances and
// fees, a seeded market-data generator that trades against it, and a replayer of recorded books.

export { MatchingEngine } from './matching-engine.ts';
export type { BriefRetention, ForgottenOrder, MatchingEngineOptions } from './engine-options.ts';
export { RejectReason } from './reject-reason.ts';
export { CancelRejectReason } from './commands.ts';
export type {
  Balance,
  BookLevel,
  BookSnapshot,
  CancelResult,
  OrderRef,
  PaperTrade,
  SubmitOrder,
  SubmitResult,
} from './commands.ts';
export {
  ExecutionType,
  PaperLiquidity,
  PaperOrderSide,
  PaperOrderStatus,
  PaperOrderType,
  PaperTimeInForce,
  isClosedStatus,
} from './order-enums.ts';
export type { PaperFill, PaperOrder } from './paper-order.ts';
export type {
  EngineEvent,
  EngineListener,
  PaperBalanceEvent,
  PaperBookEvent,
  PaperOrderEvent,
  PaperTradeEvent,
} from './engine-events.ts';
export type { InstrumentRules, PaperInstrument, PaperInstrumentSpec } from './paper-instrument.ts';
export { InsufficientFundsError, UnknownInstrumentError } from './errors.ts';
export { Prng } from './prng.ts';
export { MarketDataGenerator } from './market-data-generator.ts';
export type { GeneratorStats } from './market-data-generator.ts';
export type { MarketDataGeneratorOptions } from './market-data-generator-options.ts';
export { Replayer } from './replayer.ts';
export type { ReplayRecord, ReplayStats, ReplayerOptions } from './replayer.ts';
export { PaperConnector } from './paper-connector.ts';
export type { PaperConnectorOptions, PaperGeneration } from './paper-connector.ts';
