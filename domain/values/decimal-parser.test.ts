import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import {
  decimalSyntaxError,
  isValidDecimalString,
  MAX_DECIMAL_LENGTH,
  parseDecimal,
} from './decimal-parser.ts';
import { canonicalDecimalArb, Ref, ref } from './test-support.ts';

function expectRejected(input: string, reason: RegExp, field = 'bid'): InvalidArgumentError {
  let caught: unknown;
  try {
    parseDecimal(input, field);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  const error = caught as InvalidArgumentError;
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  expect(error.message).toMatch(reason);
  expect(isValidDecimalString(input)).toBe(false);
  return error;
}

describe('parseDecimal', () => {
  it.each([
    ['0.00001000', 1000n, 8],
    ['29000.01000000', 2900001000000n, 8],
    ['1.10235', 110235n, 5],
    ['0.01', 1n, 2],
    ['42', 42n, 0],
    ['-1.50', -150n, 2],
    ['0', 0n, 0],
    ['-0.00', 0n, 2],
    ['007.5', 75n, 1],
    ['123456789012345678901234.123456789012345678', 123456789012345678901234123456789012345678n, 18],
  ])('parses %s exactly', (text, raw, precision) => {
    expect(parseDecimal(text, 'price')).toEqual({ raw, precision });
  });

  it.each([
    ['', /empty string/],
    [' 1.5', /whitespace/],
    ['1.5 ', /whitespace/],
    ['1 000', /whitespace/],
    ['\t1', /whitespace/],
    ['+1.5', /leading '\+'/],
    ['.', /missing digits before '\.'/],
    ['-.', /missing digits before '\.'/],
    ['1.', /missing digits after '\.'/],
    ['.5', /missing digits before '\.'/],
    ['-', /no digits/],
    ['1e-8', /exponent notation is not accepted/],
    ['1E5', /exponent notation is not accepted/],
    ['2.5e+3', /exponent notation is not accepted/],
    ['NaN', /NaN and Infinity/],
    ['Infinity', /NaN and Infinity/],
    ['-Infinity', /NaN and Infinity/],
    ['0x1A', /hex/],
    ['0b101', /hex, octal and binary/],
    ['1,000.50', /thousand separators/],
    ['1_000', /thousand separators/],
    ["1'000", /thousand separators/],
    ['1.2.3', /more than one '\.'/],
    ['--1', /unexpected character "-" at position 1/],
    ['1-', /unexpected character "-" at position 1/],
    ['12a', /unexpected character "a" at position 2/],
    ['١٢', /unexpected character/],
  ])('rejects %j naming the field, quoting the input and saying why', (input, reason) => {
    const error = expectRejected(input, reason);
    expect(error.message).toContain(JSON.stringify(input));
  });

  it('rejects 19 decimals, saying the maximum is 18', () => {
    const error = expectRejected(
      '0.1234567890123456789',
      /19 decimal places, more than the maximum 18/,
      'ask',
    );
    expect(error.field).toBe('ask');
  });

  it('accepts exactly 18 decimals', () => {
    expect(parseDecimal('0.123456789012345678', 'ask')).toEqual({ raw: 123456789012345678n, precision: 18 });
  });

  it('truncates a long bad input in the message', () => {
    const input = `${'9'.repeat(60)}x`;
    const error = expectRejected(input, /unexpected character "x"/);
    expect(error.message).toContain(`"${'9'.repeat(40)}…"`);
    expect(error.message).not.toContain(input);
  });

  it(`rejects text longer than ${MAX_DECIMAL_LENGTH} characters`, () => {
    expectRejected('1'.repeat(MAX_DECIMAL_LENGTH + 1), /longer than 100 characters/);
    expect(parseDecimal('1'.repeat(MAX_DECIMAL_LENGTH), 'bid').precision).toBe(0);
  });

  it('rejects a number passed by untyped callers', () => {
    expect(() => parseDecimal(1.5 as unknown as string, 'qty')).toThrow(
      /qty: expected a decimal string, got number/,
    );
    expect(isValidDecimalString(1.5 as unknown as string)).toBe(false);
  });

  it('parses canonical text to its exact value and the decimals written', () => {
    fc.assert(
      fc.property(canonicalDecimalArb(), (text) => {
        const parsed = parseDecimal(text, 'price');
        const dot = text.indexOf('.');
        expect(parsed.precision).toBe(dot < 0 ? 0 : text.length - dot - 1);
        expect(ref(parsed).eq(new Ref(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what the grammar describes (fast path and error path agree)', () => {
    const chars = fc.constantFrom(...'0123456789.-+eE ,_x'.split(''), '0', '1', '9', '.');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        const valid = /^-?\d+(\.\d{1,18})?$/u.test(text);
        expect(isValidDecimalString(text)).toBe(valid);
        expect(decimalSyntaxError(text) === undefined).toBe(valid);
        if (valid) expect(() => parseDecimal(text, 'f')).not.toThrow();
        else expect(() => parseDecimal(text, 'f')).toThrow(InvalidArgumentError);
      }),
      { numRuns: 5000 },
    );
  });
});
