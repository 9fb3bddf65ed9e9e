import { randomBytes } from 'node:crypto';
import type { CoinbaseCredentials } from './credentials.ts';

/** JWTs expire this long after they are issued (the venue's documented 120 s). */
export const JWT_LIFETIME_SECONDS = 120;
export const JWT_ISSUER = 'cdp';

export interface JwtOptions {
  /** Epoch milliseconds; default Date.now(). */
  readonly now?: number;
  /** Default: 32 random bytes as hex, like the official SDK. */
  readonly nonce?: string;
}

/** `uri` claim of a REST JWT: `"<METHOD> <host><path>"`, the path without its query string. */
export function jwtUri(method: string, host: string, path: string): string {
  const q = path.indexOf('?');
  return `${method.toUpperCase()} ${host}${q < 0 ? path : path.slice(0, q)}`;
}

/** A fresh JWT for one REST request (a new one per request: they expire after 120 s). */
export function restJwt(
  credentials: CoinbaseCredentials,
  method: string,
  host: string,
  path: string,
  options: JwtOptions = {},
): Promise<string> {
  return sign(credentials, jwtUri(method, host, path), options);
}

/** A JWT for a WebSocket subscribe message: the same claims without `uri`. */
export function websocketJwt(credentials: CoinbaseCredentials, options: JwtOptions = {}): Promise<string> {
  return sign(credentials, undefined, options);
}

function sign(
  credentials: CoinbaseCredentials,
  uri: string | undefined,
  options: JwtOptions,
): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  return credentials.sign(
    {
      sub: credentials.keyName,
      iss: JWT_ISSUER,
      nbf: now,
      exp: now + JWT_LIFETIME_SECONDS,
      ...(uri === undefined ? {} : { uri }),
    },
    options.nonce ?? randomBytes(32).toString('hex'),
  );
}
