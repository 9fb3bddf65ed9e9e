import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { assertPrecision, divideRounded, formatFixed, rescale } from './fixed-point.ts';
import { RoundingMode } from './rounding-mode.ts';
import type { RoundingMode as Mode } from './rounding-mode.ts';
import { modeArb, Ref, REF_MODE, refText } from './test-support.ts';

describe('divideRounded', () => {
  it('matches decimal.js for every mode', () => {
    const operand = fc.oneof(
      fc.bigInt({ min: -50n, max: 50n }),
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    );
    fc.assert(
      fc.property(
        operand,
        operand.filter((d) => d !== 0n),
        modeArb,
        (n, d, mode) => {
          const expected = new Ref(n.toString()).div(d.toString()).toDecimalPlaces(0, REF_MODE[mode]);
          expect(divideRounded(n, d, mode).toString()).toBe(expected.toFixed(0));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('rejects a zero divisor and an unknown mode', () => {
    expect(() => divideRounded(1n, 0n, RoundingMode.DOWN)).toThrow(InvalidArgumentError);
    expect(() => divideRounded(1n, 3n, 'UP' as Mode)).toThrow(/mode: unknown rounding mode "UP"/);
  });
});

describe('rescale', () => {
  // The rounding table in docs/decimals.md: each input rounded to one decimal.
  const inputs = ['1.21', '1.25', '1.29', '1.35', '-1.25', '-1.29'];
  it.each([
    [RoundingMode.FLOOR, ['1.2', '1.2', '1.2', '1.3', '-1.3', '-1.3']],
    [RoundingMode.CEIL, ['1.3', '1.3', '1.3', '1.4', '-1.2', '-1.2']],
    [RoundingMode.DOWN, ['1.2', '1.2', '1.2', '1.3', '-1.2', '-1.2']],
    [RoundingMode.HALF_UP, ['1.2', '1.3', '1.3', '1.4', '-1.3', '-1.3']],
    [RoundingMode.HALF_EVEN, ['1.2', '1.2', '1.3', '1.4', '-1.2', '-1.3']],
  ] as const)('%s rounds the documented examples', (mode, expected) => {
    const rounded = inputs.map((input) =>
      formatFixed(rescale(BigInt(input.replace('.', '')), 2, 1, mode), 1),
    );
    expect(rounded).toEqual(expected);
  });

  it('adds decimals exactly', () => {
    expect(formatFixed(rescale(-15n, 1, 8, RoundingMode.DOWN), 8)).toBe('-1.50000000');
  });
});

describe('formatFixed', () => {
  it('writes exactly `precision` decimals', () => {
    expect(formatFixed(1000n, 8)).toBe('0.00001000');
    expect(formatFixed(-150n, 2)).toBe('-1.50');
    expect(formatFixed(42n, 0)).toBe('42');
    expect(formatFixed(-5n, 3)).toBe('-0.005');
    expect(formatFixed(0n, 2)).toBe('0.00');
  });

  it('agrees with decimal.js', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: 0, max: 18 }),
        (raw, p) => {
          expect(formatFixed(raw, p)).toBe(refText(raw, p));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('assertPrecision', () => {
  it.each([19, -1, 1.5, Number.NaN])('rejects %s naming the field and the maximum', (precision) => {
    expect(() => assertPrecision(precision, 'tickPrecision')).toThrow(
      /^tickPrecision: precision must be an integer from 0 to 18 \(the maximum\)/,
    );
  });
});
