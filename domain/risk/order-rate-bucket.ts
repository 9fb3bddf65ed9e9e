import type { OrderRateLimit } from './risk-limits.ts';

/**
 * A token bucket for the order rate, in thousandths of a token so refills stay whole numbers.
 * Time comes from the caller's clock (epoch or monotonic milliseconds), never read here.
 */
export interface OrderRateBucket {
  readonly milliTokens: number;
  readonly atMs: number;
}

const MILLI = 1_000;

/** A full bucket at `nowMs`. */
export function fullBucket(limit: OrderRateLimit, nowMs: number): OrderRateBucket {
  return { milliTokens: limit.burst * MILLI, atMs: nowMs };
}

/** The bucket refilled up to `nowMs`; a clock that went backwards refills nothing. */
export function refill(bucket: OrderRateBucket, limit: OrderRateLimit, nowMs: number): OrderRateBucket {
  const elapsed = nowMs - bucket.atMs;
  if (elapsed <= 0) return bucket;
  // perSecond tokens/s = perSecond milli-tokens/ms.
  const milliTokens = Math.min(
    limit.burst * MILLI,
    bucket.milliTokens + Math.floor(elapsed * limit.perSecond),
  );
  return { milliTokens, atMs: nowMs };
}

/** Whether one order may pass now (the bucket refilled to `nowMs` holds a whole token). */
export function hasToken(bucket: OrderRateBucket, limit: OrderRateLimit, nowMs: number): boolean {
  return refill(bucket, limit, nowMs).milliTokens >= MILLI;
}

/** The bucket after one order at `nowMs`; call only after `hasToken` said yes. */
export function takeToken(bucket: OrderRateBucket, limit: OrderRateLimit, nowMs: number): OrderRateBucket {
  const refilled = refill(bucket, limit, nowMs);
  return { milliTokens: refilled.milliTokens - MILLI, atMs: refilled.atMs };
}
