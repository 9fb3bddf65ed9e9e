import type { CoinbaseUrls } from './common/urls.ts';

/** Tunables of the Coinbase connector; every field has a production default. */
export interface CoinbaseConfig {
  readonly urls: CoinbaseUrls;
  /** Abort a REST call that has not answered in this time (for a write, the outcome is then unknown). */
  readonly requestTimeoutMs: number;
  /** See RateLimiterOptions. */
  readonly maxPauseWaitMs: number;
  readonly defaultRateLimitPauseMs: number;
  /** WebSocket reconnect backoff: first delay and cap (jittered). */
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /**
   * A socket silent for this long is replaced. The heartbeats channel sends one message per second,
   * so a few seconds of silence already means a dead or stale connection.
   */
  readonly staleAfterMs: number;
  /** How often we ping the server. */
  readonly pingIntervalMs: number;
  /** Order book depth requested by bookSnapshot() callers that pass none. */
  readonly productBookLimit: number;
  /** After an unknown outcome: how often to query for the order, and how long to wait between tries. */
  readonly unknownOutcomeQueries: number;
  readonly unknownOutcomeQueryDelayMs: number;
}

export const DEFAULT_COINBASE_CONFIG: Omit<CoinbaseConfig, 'urls'> = {
  requestTimeoutMs: 10_000,
  maxPauseWaitMs: 5_000,
  defaultRateLimitPauseMs: 1_000,
  reconnectInitialMs: 250,
  reconnectMaxMs: 30_000,
  staleAfterMs: 10_000,
  pingIntervalMs: 20_000,
  productBookLimit: 100,
  unknownOutcomeQueries: 3,
  unknownOutcomeQueryDelayMs: 200,
};
