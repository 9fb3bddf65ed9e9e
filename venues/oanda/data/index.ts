export { OandaPriceFeed, priceToSnapshot } from './price-feed.ts';
