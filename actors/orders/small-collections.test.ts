import { describe, expect, it } from 'vitest';
import { SmallMap, SmallSet } from './small-collections.ts';

describe('SmallSet', () => {
  it('adds each key once, and deletes any of them whatever its place', () => {
    const set = new SmallSet<string>();
    set.add('a').add('b').add('c').add('b');
    expect(set.size).toBe(3);
    expect(set.delete('a')).toBe(true);
    expect(set.delete('a')).toBe(false);
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([false, true, true]);
    expect(set.delete('c')).toBe(true);
    expect(set.delete('b')).toBe(true);
    expect(set.size).toBe(0);
    expect(set.has('b')).toBe(false);
  });

  it('compares keys by value, as a Set of strings does', () => {
    const set = new SmallSet<string>();
    set.add(['ng', '1'].join('-'));
    expect(set.has('ng-1')).toBe(true);
  });
});

describe('SmallMap', () => {
  it('gets, replaces and deletes values by key', () => {
    const map = new SmallMap<string, number>();
    map.set('a', 1).set('b', 2).set('c', 3).set('a', 10);
    expect(map.size).toBe(3);
    expect(map.get('a')).toBe(10);
    expect(map.delete('a')).toBe(true);
    // The last entry took the deleted one's place: every key still finds its own value.
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, 2, 3]);
    expect(map.delete('zz')).toBe(false);
  });

  it('goes through its entries as they were, even when they are deleted meanwhile', () => {
    const map = new SmallMap<string, number>();
    map.set('a', 1).set('b', 2).set('c', 3);
    const seen: string[] = [];
    for (const [key, value] of map.entries()) {
      seen.push(`${key}=${value}`);
      map.delete(key);
    }
    expect(seen).toEqual(['a=1', 'b=2', 'c=3']);
    expect(map.size).toBe(0);
  });
});
