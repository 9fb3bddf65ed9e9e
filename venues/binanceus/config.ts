import type { BinanceUsUrls } from './common/urls.ts';

/** Tunables of the Binance.US connector; every field has a production default. */
export interface BinanceUsConfig {
  readonly urls: BinanceUsUrls;
  /** recvWindow sent with signed requests (≤ 60000). */
  readonly recvWindowMs: number;
  /** Abort a REST call that has not answered in this time (the outcome is then unknown). */
  readonly requestTimeoutMs: number;
  /** REQUEST_WEIGHT per minute from exchangeInfo rateLimits. */
  readonly weightPerMinute: number;
  /** See RateLimiterOptions.maxPauseWaitMs. */
  readonly maxPauseWaitMs: number;
  /**
   * @deprecated Ignored: the connector keeps no circuit of its own; the `venue/binanceus` actor's
   * circuit (actors/venue/venue-circuit.ts) is the only one per venue path. Accepted so existing
   * configurations still compile; to be removed.
   */
  readonly circuitFailureThreshold?: number;
  /** @deprecated Ignored, as `circuitFailureThreshold`. */
  readonly circuitCooldownMs?: number;
  /** WebSocket reconnect backoff: first delay, cap, and the jitter fraction. */
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /** A socket silent for this long (no frame, ping or pong) is considered dead and replaced. */
  readonly staleAfterMs: number;
  /** How often we ping the server (unsolicited pongs/pings are allowed by the venue). */
  readonly pingIntervalMs: number;
  /** Listen key keepalive period (the venue expires keys after 60 min; 30 min recommended). */
  readonly listenKeyKeepAliveMs: number;
}

export const DEFAULT_BINANCE_US_CONFIG: Omit<BinanceUsConfig, 'urls'> = {
  recvWindowMs: 5000,
  requestTimeoutMs: 10_000,
  weightPerMinute: 1200,
  maxPauseWaitMs: 10_000,
  reconnectInitialMs: 250,
  reconnectMaxMs: 30_000,
  staleAfterMs: 60_000,
  pingIntervalMs: 20_000,
  listenKeyKeepAliveMs: 30 * 60_000,
};
