import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { jsonCodec } from './codec.ts';

describe('jsonCodec', () => {
  it('round-trips decimal strings exactly', () => {
    const codec = jsonCodec<{ price: string; qty: string }>();
    const value = { price: '29123.45000000', qty: '0.00000001' };
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  it('refuses bigints instead of losing them', () => {
    expect(() => jsonCodec<{ n: bigint }>().encode({ n: 1n })).toThrow(InvalidArgumentError);
  });
});
