/**
 * How a value that falls between two representable values is resolved. `DOWN` goes toward zero,
 * `FLOOR` toward −∞, `CEIL` toward +∞; the `HALF_*` modes go to the nearest value and differ only on
 * an exact tie (`HALF_UP`: away from zero, `HALF_EVEN`: to the even neighbour, i.e. banker's rounding).
 */
export const RoundingMode = {
  FLOOR: 'FLOOR',
  CEIL: 'CEIL',
  HALF_EVEN: 'HALF_EVEN',
  HALF_UP: 'HALF_UP',
  DOWN: 'DOWN',
} as const;
export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && Object.hasOwn(RoundingMode, value);
}
