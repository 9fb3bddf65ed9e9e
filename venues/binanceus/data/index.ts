export { BookSide } from './book-side.ts';
export { LocalOrderBook } from './local-order-book.ts';
export type { BookLevelView, LocalOrderBookOptions, TopOfBook } from './local-order-book.ts';
export { DepthSynchronizer, SyncOutcome } from './depth-synchronizer.ts';
export { MarketDataFeed } from './market-data-feed.ts';
export type { MarketDataFeedOptions } from './market-data-feed.ts';
