import type { BinanceUsCredentials } from './credentials.ts';

/** Request parameters in the order they are sent; values are already strings (decimals as text). */
export type RequestParams = ReadonlyArray<readonly [string, string]>;

/** Default and maximum `recvWindow` accepted by the venue, in milliseconds. */
export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60000;

/** `a=1&b=2` with each key and value percent-encoded as application/x-www-form-urlencoded. */
export function encodeParams(params: RequestParams): string {
  return new URLSearchParams(params as Array<[string, string]>).toString();
}

/**
 * The documented signature: HMAC-SHA256 over `totalParams`, the query string followed directly by
 * the request body (no `&` between them).
 */
export function signTotalParams(credentials: BinanceUsCredentials, query: string, body: string): string {
  return credentials.sign(query + body);
}

export interface SignedRequestParts {
  /** The query string, without `?`. */
  readonly query: string;
  /** The form body (empty for GET and DELETE). */
  readonly body: string;
}

export interface SignOptions {
  /** Whether the parameters go in the body (POST/PUT) or the query string (GET/DELETE). */
  readonly inBody: boolean;
  readonly timestamp: number;
  readonly recvWindow?: number;
  /** Parameters always placed in the query string (mixed query + body requests). */
  readonly queryParams?: RequestParams;
}

/**
 * Adds `recvWindow` and `timestamp`, signs query + body and appends `signature` last (to the body
 * when parameters travel in the body, else to the query string).
 */
export function signRequest(
  credentials: BinanceUsCredentials,
  params: RequestParams,
  options: SignOptions,
): SignedRequestParts {
  const all: Array<readonly [string, string]> = [...params];
  if (options.recvWindow !== undefined) all.push(['recvWindow', String(options.recvWindow)]);
  all.push(['timestamp', String(options.timestamp)]);
  const fixedQuery = encodeParams(options.queryParams ?? []);
  if (options.inBody) {
    const body = encodeParams(all);
    const signature = signTotalParams(credentials, fixedQuery, body);
    return { query: fixedQuery, body: `${body}&signature=${signature}` };
  }
  const query = [fixedQuery, encodeParams(all)].filter((part) => part.length > 0).join('&');
  const signature = signTotalParams(credentials, query, '');
  return { query: `${query}&signature=${signature}`, body: '' };
}
