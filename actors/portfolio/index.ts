// portfolio/<accountId>: positions, balances, PnL (rules in domain/portfolio; docs/trading.md).
export { PortfolioRequest, portfolioKind } from './portfolio-actor.ts';
export { journaledFillLookup } from './journaled-fills.ts';
export type { PortfolioCommand, PortfolioDeps, PortfolioEvent } from './portfolio-actor.ts';
export {
  PORTFOLIO_COMMAND_TYPES,
  fromPortfolioFillWire,
  portfolioMessageCodec,
  portfolioView,
  toPortfolioFillWire,
} from './portfolio-wire.ts';
export type { MoneyWire, PortfolioFillWire, PortfolioView } from './portfolio-wire.ts';
