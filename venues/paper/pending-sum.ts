/**
 * An exact integer sum that is changed often and read rarely (funds locked in a balance, fees collected
 * in an asset, the quantity resting at a price level), kept as a bigint plus a pending JS number.
 *
 * Every change whose amount and result stay within ±`limit` (at most 2^52) is added to the number:
 * integers of that size are exact in a double and the sum of two stays below 2^53, so no addition is
 * ever rounded, and no bigint is allocated. Anything larger goes to the bigint, exactly as before. A
 * read adds the two. In the paper-engine bench most changes are small (a lock, a fee, a fill's
 * quantity), and each one made a new bigint for the collector; see venues/paper/README.md.
 */
export class PendingSum {
  private exact = 0n;
  /** Always an integer with |pending| ≤ `limit`. */
  private pending = 0;

  /** The sum, exact. */
  get value(): bigint {
    return this.pending === 0 ? this.exact : this.exact + BigInt(this.pending);
  }

  /** Whether the sum is below `amount`, without building the sum when `amount` is small. */
  isBelow(amount: bigint): boolean {
    const small = Number(amount);
    // small − pending is an integer of magnitude ≤ 2^53, exact; a bigint compares exactly with a number.
    if (small <= limit && small >= -limit) return this.exact < small - this.pending;
    return this.value < amount;
  }

  add(amount: bigint): void {
    // Number() of a bigint rounds monotonically and ±limit are exact doubles: the test is exact.
    const small = Number(amount);
    if (small <= limit && small >= -limit) {
      const sum = this.pending + small;
      if (sum <= limit && sum >= -limit) {
        this.pending = sum;
        return;
      }
    }
    this.exact += amount;
  }

  subtract(amount: bigint): void {
    const small = Number(amount);
    if (small <= limit && small >= -limit) {
      const sum = this.pending - small;
      if (sum <= limit && sum >= -limit) {
        this.pending = sum;
        return;
      }
    }
    this.exact -= amount;
  }
}

/** The largest magnitude kept in the number part (2^52: the sum of two such integers is below 2^53). */
export const PENDING_LIMIT = 2 ** 52;
let limit = PENDING_LIMIT;

/**
 * Sets the magnitude bound of the number part for sums changed from now on (0: every change goes to the
 * bigint, the exact path). For the differential test that runs the same commands through both paths.
 */
export function setPendingLimit(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > PENDING_LIMIT) {
    throw new RangeError(`pending limit must be an integer in 0..2^52, got ${String(value)}`);
  }
  limit = value;
}
