export { fillKey } from './portfolio-fill.ts';
export type { PortfolioFill, TradedInstrument } from './portfolio-fill.ts';
export { PortfolioLedger } from './portfolio-ledger.ts';
export type { AssetExposure, VenueBalanceLine } from './portfolio-ledger.ts';
export { applyExecution, averageEntryPrice, emptyPosition, unrealisedPnl } from './position.ts';
export type { Lot, Position } from './position.ts';
