import { describe, expect, it } from 'vitest';
import { FinishedWindow } from './finished-window.ts';

describe('FinishedWindow', () => {
  it('forgets the oldest key once more than its capacity finished, each key once', () => {
    const forgotten: string[] = [];
    const window = new FinishedWindow(3, (key) => forgotten.push(key));
    for (const key of ['a', 'b', 'c', 'b']) window.add(key);
    expect(forgotten).toEqual([]);
    expect(window.size).toBe(3);
    window.add('d');
    window.add('e');
    expect(forgotten).toEqual(['a', 'b']);
    expect(window.size).toBe(3);
    for (let i = 0; i < 1_000; i += 1) window.add(`k${String(i)}`);
    expect(window.size).toBe(3);
    expect(forgotten.length).toBe(1_002);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new FinishedWindow(0, () => undefined)).toThrow(RangeError);
    expect(() => new FinishedWindow(1.5, () => undefined)).toThrow(RangeError);
  });

  it('with an age bound, forgets keys finished longer ago than maxAgeMs when one is added', () => {
    const forgotten: string[] = [];
    let now = 0;
    const window = new FinishedWindow(100, (key) => forgotten.push(key), { maxAgeMs: 1_000, now: () => now });
    window.add('a');
    window.add('b');
    now = 500;
    window.add('c');
    now = 1_000;
    window.add('d');
    expect(forgotten).toEqual([]);
    now = 1_200;
    window.add('e');
    expect(forgotten).toEqual(['a', 'b']);
    expect(window.size).toBe(3);
    // A slow stream of keys keeps only the last maxAgeMs of them, far below the capacity.
    for (let i = 0; i < 200; i += 1) {
      now += 100;
      window.add(`k${String(i)}`);
    }
    expect(window.size).toBe(11);
    expect(forgotten.length).toBe(200 + 5 - 11);
    // The capacity still bounds a burst.
    for (let i = 0; i < 300; i += 1) window.add(`burst${String(i)}`);
    expect(window.size).toBe(100);
  });

  it('refuses an age bound that is not a finite number >= 0', () => {
    expect(() => new FinishedWindow(1, () => undefined, { maxAgeMs: -1, now: () => 0 })).toThrow(RangeError);
    expect(() => new FinishedWindow(1, () => undefined, { maxAgeMs: Number.NaN, now: () => 0 })).toThrow(
      RangeError,
    );
  });
});
