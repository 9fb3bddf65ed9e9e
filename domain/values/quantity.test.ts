import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutOfRangeError } from '../errors.ts';
import { FixedDecimal } from './fixed-decimal.ts';
import { Quantity } from './quantity.ts';
import { RoundingMode } from './rounding-mode.ts';
import { canonicalDecimalArb, fixedArb, modeArb, ref, refFixed } from './test-support.ts';

const qtyArb = fixedArb({ maxDigits: 20, signed: false }).map(({ raw, precision }) =>
  Quantity.fromRaw(raw, precision),
);
const factorArb = fixedArb({ maxDigits: 8, maxPrecision: 8 }).map(({ raw, precision }) =>
  FixedDecimal.fromRaw(raw, precision),
);

function expectOutOfRange(action: () => unknown, field: string): void {
  try {
    action();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(OutOfRangeError);
    expect((error as OutOfRangeError).field).toBe(field);
    expect((error as OutOfRangeError).message.startsWith(`${field}: `)).toBe(true);
  }
}

describe('Quantity', () => {
  it.each(['0.00150000', '1.00000000', '250', '0.01', '100000'])(
    'round-trips the exchange string %s',
    (text) => {
      expect(Quantity.parse(text).toString()).toBe(text);
    },
  );

  it('round-trips any canonical non-negative decimal', () => {
    fc.assert(
      fc.property(canonicalDecimalArb({ signed: false }), (text) => {
        expect(Quantity.parse(text).toString()).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects negative input with OutOfRangeError naming the field', () => {
    expectOutOfRange(() => Quantity.parse('-0.001'), 'quantity');
    expectOutOfRange(() => Quantity.parse('-1', 'order.size'), 'order.size');
    expectOutOfRange(() => Quantity.fromRaw(-1n, 8), 'quantity');
    expect(Quantity.parse('-0.00').isZero()).toBe(true);
  });

  it('has a zero of any precision', () => {
    expect(Quantity.zero().toString()).toBe('0');
    expect(Quantity.zero(8).toString()).toBe('0.00000000');
    expect(() => Quantity.zero(19)).toThrow(/^precision: /);
  });

  it('subtracts exactly and refuses to go below zero', () => {
    fc.assert(
      fc.property(qtyArb, qtyArb, (a, b) => {
        if (a.gte(b)) {
          expect(a.sub(b).toString()).toBe(
            refFixed(ref(a).minus(ref(b)), Math.max(a.precision, b.precision)),
          );
        } else {
          expectOutOfRange(() => a.sub(b), 'quantity');
        }
      }),
      { numRuns: 2000 },
    );
    expect(() => Quantity.parse('1.5').sub(Quantity.parse('1.50000001'))).toThrow(
      /^quantity: 1.5 - 1.50000001 would be negative/,
    );
  });

  it('never becomes negative under any sequence of operations', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('add' as const), q: qtyArb }),
      fc.record({ op: fc.constant('sub' as const), q: qtyArb }),
      fc.record({
        op: fc.constant('mul' as const),
        f: factorArb,
        p: fc.integer({ min: 0, max: 18 }),
        mode: modeArb,
      }),
      fc.record({
        op: fc.constant('div' as const),
        f: factorArb,
        p: fc.integer({ min: 0, max: 18 }),
        mode: modeArb,
      }),
      fc.record({ op: fc.constant('round' as const), q: qtyArb, mode: modeArb }),
    );
    fc.assert(
      fc.property(qtyArb, fc.array(step, { maxLength: 12 }), (start, steps) => {
        let q = start;
        for (const s of steps) {
          try {
            switch (s.op) {
              case 'add':
                q = q.add(s.q);
                break;
              case 'sub':
                q = q.sub(s.q);
                break;
              case 'mul':
                q = q.mulDecimal(s.f, s.p, s.mode);
                break;
              case 'div':
                q = q.div(s.f, s.p, s.mode);
                break;
              case 'round':
                q = q.roundTo(s.q, s.mode);
                break;
            }
          } catch (error) {
            // Only refusals to go negative, divide by zero or use a zero increment are allowed.
            expect((error as Error).name).toMatch(/^(OutOfRangeError|InvalidArgumentError)$/);
          }
          expect(q.raw >= 0n).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects scaling or dividing by a negative factor', () => {
    const q = Quantity.parse('2.5');
    expectOutOfRange(() => q.mulDecimal(FixedDecimal.parse('-1'), 2, RoundingMode.DOWN), 'quantity');
    expectOutOfRange(() => q.div(FixedDecimal.parse('-2'), 2, RoundingMode.DOWN), 'quantity');
    expect(q.mulDecimal(FixedDecimal.parse('-0.0')).isZero()).toBe(true);
  });

  it('rounds a size down to the lot step', () => {
    const step = Quantity.parse('0.00001000');
    expect(Quantity.parse('0.123456789').roundTo(step, RoundingMode.FLOOR).toString()).toBe('0.12345000');
  });
});
