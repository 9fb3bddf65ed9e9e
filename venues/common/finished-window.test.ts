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
});
