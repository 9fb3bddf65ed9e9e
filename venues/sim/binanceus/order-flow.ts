import type { MatchingEngine } from '../../paper/index.ts';
import { SimOrderFlow } from '../order-flow.ts';
import type { SimSymbol } from './common/instruments.ts';

/** The accounts the simulator's own flow trades from: resting liquidity, and the taker that crosses it. */
export const MARKET_MAKER_ACCOUNT = 'sim-market-maker';
export const TAKER_ACCOUNT = 'sim-taker';
/**
 * The flow's accounts, on the engine's short window of closed orders (`briefRetention`): nobody looks
 * their closed orders up, and the long window is for the test accounts' orders.
 */
export const FLOW_ACCOUNTS: readonly string[] = [MARKET_MAKER_ACCOUNT, TAKER_ACCOUNT];

/** The Binance.US simulator's background market on its symbols. */
export function binanceOrderFlow(
  engine: MatchingEngine,
  symbols: readonly SimSymbol[],
  seed = 1,
): SimOrderFlow {
  return new SimOrderFlow(
    engine,
    symbols.map((s) => ({ instrumentId: s.spec.id, referencePrice: s.referencePrice })),
    { seed, makerAccountId: MARKET_MAKER_ACCOUNT, takerAccountId: TAKER_ACCOUNT },
  );
}
