// OANDA v20 simulator: REST and chunked streaming endpoints on loopback, backed by the paper matching
// engine, with the fault control API of sim-server (see docs/oanda.md).
export { startOandaSimulator } from './simulator.ts';
export type { OandaSimControl, OandaSimulator, OandaSimulatorOptions } from './simulator.ts';
export { MARKET_MAKER_ACCOUNT, TAKER_ACCOUNT } from './order-flow.ts';
export type { StreamKind } from './streaming/stream-hub.ts';
