/** Production endpoints; a simulator or test passes its own through BinanceUsUrls. */
export const BINANCE_US_REST_URL = 'https://api.binance.us';
export const BINANCE_US_WS_URL = 'wss://stream.binance.us:9443';

export interface BinanceUsUrls {
  /** REST base without a trailing slash, e.g. `https://api.binance.us`. */
  readonly rest: string;
  /** WebSocket base without a trailing slash, e.g. `wss://stream.binance.us:9443`. */
  readonly ws: string;
}

export const BINANCE_US_URLS: BinanceUsUrls = { rest: BINANCE_US_REST_URL, ws: BINANCE_US_WS_URL };

/** `<ws>/stream?streams=a/b` for a combined-stream connection. */
export function combinedStreamUrl(urls: BinanceUsUrls, streams: readonly string[]): string {
  return `${trimSlash(urls.ws)}/stream?streams=${streams.join('/')}`;
}

/** `<ws>/ws/<listenKey>` for the user data stream. */
export function userDataStreamUrl(urls: BinanceUsUrls, listenKey: string): string {
  return `${trimSlash(urls.ws)}/ws/${listenKey}`;
}

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
