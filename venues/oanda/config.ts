import type { OandaUrls } from './common/urls.ts';

/** Tunables of the OANDA connector; every field but `urls` has a production default. */
export interface OandaConfig {
  /** Practice or live hosts (OANDA_PRACTICE_URLS / OANDA_LIVE_URLS), or a simulator's. */
  readonly urls: OandaUrls;
  /** Abort a REST call that has not answered in this time (a write's outcome is then unknown). */
  readonly requestTimeoutMs: number;
  /** Client-side REST budget (development guide: 120 requests/s per IP). */
  readonly requestsPerSecond: number;
  /** Client-side budget of new streaming connections (2 per second). */
  readonly newConnectionsPerSecond: number;
  /** A 429 is retried after Retry-After (or `rateLimitBackoffMs`) this many times, then surfaces. */
  readonly maxRateLimitRetries: number;
  readonly rateLimitBackoffMs: number;
  /** No heartbeat on a stream for this long → the connection is replaced (OANDA heartbeats every 5 s). */
  readonly heartbeatTimeoutMs: number;
  /** Stream reconnect backoff: first delay and cap (doubling, with jitter). */
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /** After an unknown order-creation outcome: how many times to query `@clientId`, and the pause. */
  readonly unknownOutcomeQueries: number;
  readonly unknownOutcomeQueryDelayMs: number;
}

export const DEFAULT_OANDA_CONFIG: Omit<OandaConfig, 'urls'> = {
  requestTimeoutMs: 10_000,
  requestsPerSecond: 120,
  newConnectionsPerSecond: 2,
  maxRateLimitRetries: 3,
  rateLimitBackoffMs: 1000,
  heartbeatTimeoutMs: 10_000,
  reconnectInitialMs: 250,
  reconnectMaxMs: 30_000,
  unknownOutcomeQueries: 3,
  unknownOutcomeQueryDelayMs: 200,
};
