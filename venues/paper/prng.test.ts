import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(123);
    const b = new Prng(123);
    const c = new Prng(124);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws uniform floats and bounded integers', () => {
    const rng = new Prng(0);
    const counts = [0, 0, 0, 0, 0];
    let sum = 0;
    for (let i = 0; i < 50_000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      counts[rng.nextInt(5)]! += 1;
    }
    expect(Math.abs(sum / 50_000 - 0.5)).toBeLessThan(0.01);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('draws standard normals', () => {
    const rng = new Prng(5);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < 50_000; i++) {
      const z = rng.nextNormal();
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / 50_000)).toBeLessThan(0.02);
    expect(Math.abs(squares / 50_000 - 1)).toBeLessThan(0.03);
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Prng(1.5)).toThrow(RangeError);
  });
});
