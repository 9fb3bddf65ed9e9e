/** REST and streaming base URLs (scheme and host, no path; paths start with /v3). */
export interface OandaUrls {
  readonly rest: string;
  readonly stream: string;
}

export const OANDA_PRACTICE_URLS: OandaUrls = {
  rest: 'https://api-fxpractice.oanda.com',
  stream: 'https://stream-fxpractice.oanda.com',
};

export const OANDA_LIVE_URLS: OandaUrls = {
  rest: 'https://api-fxtrade.oanda.com',
  stream: 'https://stream-fxtrade.oanda.com',
};

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
