import type { Logger, MetricsRegistry } from './internal.ts';
import type { TlsOptions } from './gateway-connection.ts';
import type { StreamResumeOptions } from './resumable-stream.ts';
import type { RetryOptions } from './retry-policy.ts';
import type { Tokens } from './types.ts';

export const DEFAULT_GATEWAY_ADDRESS = '127.0.0.1:50051';

export interface NinjaClientOptions {
  /** host:port of a gateway's gRPC listener. Default 127.0.0.1:50051. */
  readonly address?: string;
  /**
   * TLS: default plaintext on a loopback address and TLS with the system roots elsewhere; `false`
   * forces plaintext, `true` TLS with the system roots, an object names the CA (and a client certificate).
   */
  readonly tls?: boolean | TlsOptions;
  /** An API key credential "<key id>.<secret>", sent as `x-api-key`. */
  readonly apiKey?: string;
  /** A stored session to resume (e.g. the CLI's login); refreshed like one from login(). */
  readonly tokens?: Tokens;
  /** Called with every new token pair, to persist it: after a refresh the old refresh token is dead. */
  readonly onTokens?: (tokens: Tokens) => void;
  /** Deadline of each unary attempt. Default 10 s. */
  readonly callTimeoutMs?: number;
  /** Retries of failed calls that are safe to repeat (see retry-policy.ts). */
  readonly retry?: RetryOptions;
  /** Reconnection of streams. */
  readonly streamResume?: StreamResumeOptions;
  /** Give orders without a client order id one, so PlaceOrder can be retried. Default true. */
  readonly assignClientOrderIds?: boolean;
  /** Refresh this long before the access token expires (default: a quarter of its lifetime, ≤ 60 s). */
  readonly refreshMarginMs?: number;
  /** Clock for token expiry, ms since the epoch. */
  readonly now?: () => number;
  /** Where the SDK counts calls, retries, refreshes and reconnections; a private registry otherwise. */
  readonly metrics?: MetricsRegistry;
  /** Debug logs of retries and reconnections; silent otherwise. */
  readonly logger?: Logger;
}
