export { startBinanceUsSimulator } from './simulator.ts';
export type { BinanceUsSimControl, BinanceUsSimulator, BinanceUsSimulatorOptions } from './simulator.ts';
export { MARKET_MAKER_ACCOUNT, TAKER_ACCOUNT } from './order-flow.ts';
