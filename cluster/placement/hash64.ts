/**
 * 64-bit hashing on pairs of unsigned 32-bit halves (Math.imul), no BigInt and no crypto in the hot
 * path: FNV-1a 64 over UTF-8 bytes, and the MurmurHash3 fmix64 finalizer to spread its output.
 * Values are `[hi, lo]` pairs of unsigned 32-bit integers; `toBigInt` is for tests and logs.
 */
export type Hash64 = readonly [hi: number, lo: number];

const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
/** FNV 64-bit prime = 2^40 + 0x1b3. */
const FNV_PRIME_LOW = 0x1b3;

const encoder = new TextEncoder();

/** FNV-1a 64 of the UTF-8 encoding of `text`. */
export function fnv1a64(text: string): Hash64 {
  let hi = FNV_OFFSET_HI;
  let lo = FNV_OFFSET_LO;
  const step = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    // (hi, lo) * (2^40 + 0x1b3) mod 2^64
    const low = lo * FNV_PRIME_LOW; // < 2^41: exact in a double
    const carry = Math.floor(low / 0x1_0000_0000);
    hi = (Math.imul(hi, FNV_PRIME_LOW) + carry + (lo << 8)) >>> 0;
    lo = low >>> 0;
  };
  let ascii = true;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let index = 0; index < text.length; index++) step(text.charCodeAt(index));
  } else {
    for (const byte of encoder.encode(text)) step(byte);
  }
  return [hi, lo];
}

/** (ah, al) * (bh, bl) mod 2^64. */
export function mul64(ah: number, al: number, bh: number, bl: number): Hash64 {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  const lo = Math.imul(al, bl) >>> 0;
  const hi = (carry + Math.imul(al, bh) + Math.imul(ah, bl)) >>> 0;
  return [hi, lo];
}

const C1_HI = 0xff51afd7;
const C1_LO = 0xed558ccd;
const C2_HI = 0xc4ceb9fe;
const C2_LO = 0x1a85ec53;

/** MurmurHash3 fmix64: every input bit affects every output bit. */
export function fmix64(hi: number, lo: number): Hash64 {
  // k ^= k >>> 33 only touches the low half: (k >>> 33) = (0, hi >>> 1).
  let l = (lo ^ (hi >>> 1)) >>> 0;
  let h = hi;
  [h, l] = mul64(h, l, C1_HI, C1_LO);
  l = (l ^ (h >>> 1)) >>> 0;
  [h, l] = mul64(h, l, C2_HI, C2_LO);
  l = (l ^ (h >>> 1)) >>> 0;
  return [h, l];
}

/** Compares unsigned 64-bit values. */
export function compare64(a: Hash64, b: Hash64): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

export function toBigInt(value: Hash64): bigint {
  return (BigInt(value[0]) << 32n) | BigInt(value[1]);
}
