import type { OrderSide } from '../orders/index.ts';
import type { FixedDecimal, Price } from '../values/index.ts';

/**
 * A level's price with the taker fee folded in, as an exact rational `raw / 10^scale`, signed so
 * that smaller is better for either side: a buy pays price × (1 + fee), a sell receives
 * price × (1 − fee) and is stored negated. No precision limit applies (plain bigint), so two venues
 * with fine ticks and fee rates still compare exactly.
 */
export interface FeeAdjustedPrice {
  readonly raw: bigint;
  readonly scale: number;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

export function feeAdjustedPrice(side: OrderSide, price: Price, feeRate: FixedDecimal): FeeAdjustedPrice {
  const one = pow10(feeRate.precision);
  const factor = side === 'BUY' ? one + feeRate.raw : one - feeRate.raw;
  const raw = price.raw * factor;
  return { raw: side === 'BUY' ? raw : -raw, scale: price.precision + feeRate.precision };
}

/** Negative when `a` is the better price for the taker, positive when `b` is, 0 when equal. */
export function compareFeeAdjusted(a: FeeAdjustedPrice, b: FeeAdjustedPrice): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = a.raw * pow10(scale - a.scale);
  const y = b.raw * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
