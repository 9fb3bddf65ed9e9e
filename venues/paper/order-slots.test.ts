import { describe, expect, it } from 'vitest';
import { parseOrderId } from './order-slots.ts';

describe('parseOrderId', () => {
  it('reads exactly the texts String(id) writes', () => {
    for (const id of [1, 9, 10, 123_456, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expect(parseOrderId(String(id))).toBe(id);
    }
  });

  it('gives 0 for every other text, including those Number() would accept', () => {
    for (const text of [
      '',
      '0',
      '012',
      ' 12',
      '12 ',
      '1e3',
      '0x1f',
      '+5',
      '-5',
      '1.0',
      '9007199254740993',
      'abc',
    ]) {
      expect(parseOrderId(text)).toBe(0);
    }
  });
});
