import { MAX_PRECISION, Price, Quantity } from '../values/index.ts';
import type { FixedDecimal, FixedPoint } from '../values/index.ts';

/** The same number with trailing zero decimals dropped ("0.01000000" → "0.01"). */
function trimmed(value: FixedPoint): { raw: bigint; precision: number } {
  let { raw, precision } = value;
  while (precision > 0 && raw % 10n === 0n) {
    raw /= 10n;
    precision -= 1;
  }
  return { raw, precision };
}

/**
 * price × quantity, exact. Venues pad decimals (Binance writes "0.01000000"), so when the padded
 * product would exceed MAX_PRECISION decimals the trailing zeros are dropped first; only a product
 * that genuinely needs more decimals throws `OutOfRangeError`.
 */
export function exactNotional(price: Price, quantity: Quantity): FixedDecimal {
  if (price.precision + quantity.precision <= MAX_PRECISION) return price.mul(quantity);
  const p = trimmed(price);
  const q = trimmed(quantity);
  return Price.fromRaw(p.raw, p.precision).mul(Quantity.fromRaw(q.raw, q.precision));
}
