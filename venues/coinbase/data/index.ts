export { MarketDataFeed } from './market-data-feed.ts';
export type { MarketDataFeedOptions } from './market-data-feed.ts';
export { splitLevels, toPublicTrade } from './book-events.ts';
export { normaliseMarketFrame } from './normalise.ts';
