import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmix64, fnv1a64, mul64, toBigInt } from './hash64.ts';

const MASK = (1n << 64n) - 1n;

function fnvReference(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & MASK;
  }
  return hash;
}

function fmixReference(value: bigint): bigint {
  let k = value;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  k ^= k >> 33n;
  return k;
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('hash64', () => {
  it('FNV-1a 64 matches published vectors', () => {
    expect(toBigInt(fnv1a64(''))).toBe(0xcbf29ce484222325n);
    expect(toBigInt(fnv1a64('a'))).toBe(0xaf63dc4c8601ec8cn);
    expect(toBigInt(fnv1a64('foobar'))).toBe(0x85944171f73967e8n);
  });

  it('FNV-1a 64 matches a BigInt reference on any string (UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => toBigInt(fnv1a64(text)) === fnvReference(text)),
    );
  });

  it('mul64 and fmix64 match BigInt arithmetic', () => {
    fc.assert(
      fc.property(u32, u32, u32, u32, (ah, al, bh, bl) => {
        const a = (BigInt(ah) << 32n) | BigInt(al);
        const b = (BigInt(bh) << 32n) | BigInt(bl);
        return (
          toBigInt(mul64(ah, al, bh, bl)) === ((a * b) & MASK) &&
          toBigInt(fmix64(ah, al)) === fmixReference(a)
        );
      }),
      { numRuns: 2000 },
    );
  });
});
