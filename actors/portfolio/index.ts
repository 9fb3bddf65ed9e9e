// portfolio/<accountId>: positions, balances, PnL (rules in domain/portfolio; docs/trading.md).
export { PortfolioRequest, portfolioKind } from './portfolio-actor.ts';
export type { PortfolioCommand, PortfolioEvent } from './portfolio-actor.ts';
