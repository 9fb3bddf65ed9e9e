export { startCoinbaseSimulator } from './simulator.ts';
export type { CoinbaseSimControl, CoinbaseSimulator, CoinbaseSimulatorOptions } from './simulator.ts';
export { MARKET_MAKER_ACCOUNT, TAKER_ACCOUNT } from './order-flow.ts';
export { MARKET_PATH, USER_PATH } from './websocket/stream-hub.ts';
