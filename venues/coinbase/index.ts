// Coinbase Advanced Trade adapter (venue folder shape of shared/STYLE.md): common (credentials, JWT,
// urls, parse), http (REST client, errors, models), websocket (channel connections), data (market-data
// feed), execution (the VenueConnector and the user channel), config.
export * from './common/index.ts';
export * from './http/index.ts';
export * from './websocket/index.ts';
export * from './data/index.ts';
export * from './execution/index.ts';
export { DEFAULT_COINBASE_CONFIG } from './config.ts';
export type { CoinbaseConfig } from './config.ts';
