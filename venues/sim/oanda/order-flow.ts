import type { MatchingEngine } from '../../paper/index.ts';
import { SimOrderFlow } from '../order-flow.ts';
import type { SimInstrument } from './common/instruments.ts';

/** The accounts the simulator's own market trades from (liquidity provider and a taker crossing it). */
export const MARKET_MAKER_ACCOUNT = 'oanda-sim-liquidity';
export const TAKER_ACCOUNT = 'oanda-sim-taker';
/**
 * The flow's accounts, on the engine's short window of closed orders (`briefRetention`): nobody looks
 * their closed orders up, and the long window is for the test accounts' orders.
 */
export const FLOW_ACCOUNTS: readonly string[] = [MARKET_MAKER_ACCOUNT, TAKER_ACCOUNT];

/** The OANDA simulator's background market: FX-sized orders (tens of thousands of units), small moves. */
export function oandaOrderFlow(
  engine: MatchingEngine,
  instruments: readonly SimInstrument[],
  seed: number,
): SimOrderFlow {
  return new SimOrderFlow(
    engine,
    instruments.map((i) => ({
      instrumentId: i.name,
      referencePrice: i.referencePrice,
      volatility: 0.00005,
      meanSizeSteps: 50_000,
    })),
    { seed, makerAccountId: MARKET_MAKER_ACCOUNT, takerAccountId: TAKER_ACCOUNT },
  );
}
