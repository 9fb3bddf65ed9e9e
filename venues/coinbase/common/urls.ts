/** Production endpoints; a simulator or test passes its own through CoinbaseUrls. */
export const COINBASE_REST_URL = 'https://api.coinbase.com';
export const COINBASE_WS_MARKET_URL = 'wss://advanced-trade-ws.coinbase.com';
export const COINBASE_WS_USER_URL = 'wss://advanced-trade-ws-user.coinbase.com';
/** Every Advanced Trade REST path starts with this. */
export const BROKERAGE_PREFIX = '/api/v3/brokerage';

export interface CoinbaseUrls {
  /** REST base without a trailing slash, e.g. `https://api.coinbase.com`. */
  readonly rest: string;
  /** Market-data WebSocket (level2, market_trades, ticker, heartbeats). */
  readonly wsMarket: string;
  /** User-order WebSocket (user, heartbeats), a separate endpoint. */
  readonly wsUser: string;
}

export const COINBASE_URLS: CoinbaseUrls = {
  rest: COINBASE_REST_URL,
  wsMarket: COINBASE_WS_MARKET_URL,
  wsUser: COINBASE_WS_USER_URL,
};

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** The host part of the JWT `uri` claim: `api.coinbase.com` in production, `127.0.0.1:<port>` on a simulator. */
export function restHost(urls: CoinbaseUrls): string {
  return new URL(urls.rest).host;
}
