import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { identityOf } from './identity.ts';

describe('identityOf', () => {
  it('joins kind and key; keys may contain slashes', () => {
    expect(identityOf('book', 'binanceus/BTC-USD')).toBe('book/binanceus/BTC-USD');
  });

  it('rejects bad kinds and keys', () => {
    expect(() => identityOf('Book', 'x')).toThrow(InvalidArgumentError);
    expect(() => identityOf('book/x', 'x')).toThrow(InvalidArgumentError);
    expect(() => identityOf('book', '')).toThrow(InvalidArgumentError);
    expect(() => identityOf('book', 'a\nb')).toThrow(InvalidArgumentError);
    expect(() => identityOf('book', 'k'.repeat(513))).toThrow(InvalidArgumentError);
  });
});
