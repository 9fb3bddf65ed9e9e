// Binance.US spot adapter (venue folder shape of shared/STYLE.md): common (credentials, urls, signing,
// parse), http (REST client, errors, models), websocket (streams), data (local books), execution
// (orders + user data stream), config.
export * from './common/index.ts';
export * from './http/index.ts';
export * from './websocket/index.ts';
export * from './data/index.ts';
export * from './execution/index.ts';
export { DEFAULT_BINANCE_US_CONFIG } from './config.ts';
export type { BinanceUsConfig } from './config.ts';
export { binanceUsMetrics } from './common/metrics.ts';
export type { BinanceUsMetrics } from './common/metrics.ts';
export { BinanceUsConnector } from './binanceus-connector.ts';
export type { BinanceUsConnectorOptions } from './binanceus-connector.ts';
export { InstrumentMarketData } from './data/instrument-market-data.ts';
export type { InstrumentMarketDataOptions } from './data/instrument-market-data.ts';
