export { fillKey } from './portfolio-fill.ts';
export type { PortfolioFill, TradedInstrument } from './portfolio-fill.ts';
export { BookedFills, DEFAULT_REMEMBERED_FILLS, FILL_TIME_MARGIN_MS, FillRecall } from './booked-fills.ts';
export { PortfolioLedger } from './portfolio-ledger.ts';
export type { AssetExposure, PortfolioLedgerOptions, VenueBalanceLine } from './portfolio-ledger.ts';
export { applyExecution, averageEntryPrice, emptyPosition, unrealisedPnl } from './position.ts';
export type { Lot, Position } from './position.ts';
