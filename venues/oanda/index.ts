// OANDA v20 adapter (venue folder shape of shared/STYLE.md): common (credentials, urls, parse), http
// (REST client, errors, models, order safety), streaming (pricing and transaction streams over
// chunked HTTP), data (price feed), execution (the VenueConnector), config.
export * from './common/index.ts';
export * from './http/index.ts';
export * from './streaming/index.ts';
export * from './data/index.ts';
export * from './execution/index.ts';
export { DEFAULT_OANDA_CONFIG } from './config.ts';
export type { OandaConfig } from './config.ts';
