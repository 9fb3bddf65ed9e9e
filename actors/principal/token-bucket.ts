/** How many calls a bucket allows: `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** The state of one token bucket; pure, so the actor's state stays plain data. */
export interface TokenBucket {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

/** retryAfterMs of a bucket that never refills (JSON has no Infinity). */
export const NEVER_MS = Number.MAX_SAFE_INTEGER;

export interface TakeResult {
  readonly bucket: TokenBucket;
  readonly allowed: boolean;
  /** When `allowed` is false: how long until one token is available. */
  readonly retryAfterMs: number;
}

/**
 * Refills `bucket` up to `limit.burst` for the time elapsed since it was last touched, then takes
 * one token if there is one. A bucket seen for the first time (undefined) starts full.
 */
export function takeToken(bucket: TokenBucket | undefined, limit: RateLimit, nowMs: number): TakeResult {
  const elapsedMs = bucket === undefined ? 0 : Math.max(0, nowMs - bucket.updatedAtMs);
  const refilled =
    bucket === undefined
      ? limit.burst
      : Math.min(limit.burst, bucket.tokens + (elapsedMs / 1000) * limit.perSecond);
  if (refilled >= 1) {
    return { bucket: { tokens: refilled - 1, updatedAtMs: nowMs }, allowed: true, retryAfterMs: 0 };
  }
  const retryAfterMs = limit.perSecond > 0 ? Math.ceil(((1 - refilled) / limit.perSecond) * 1000) : NEVER_MS;
  return { bucket: { tokens: refilled, updatedAtMs: nowMs }, allowed: false, retryAfterMs };
}
