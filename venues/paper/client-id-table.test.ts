import { describe, expect, it } from 'vitest';
import { ClientIdTable, hashClientId } from './client-id-table.ts';
import { Prng } from './prng.ts';

interface Entry {
  readonly clientOrderId: string;
  readonly clientHash: number;
  readonly serial: number;
}

/** Runs random sets, deletes and gets against a Map model; `hash` decides how often keys collide. */
function exercise(seed: number, hash: (key: string) => number): void {
  const rng = new Prng(seed);
  const table = new ClientIdTable<Entry>();
  const model = new Map<string, Entry>();
  const live: Entry[] = [];
  for (let step = 0; step < 20_000; step++) {
    const roll = rng.nextInt(10);
    const key = `c${rng.nextInt(600)}`;
    if (roll < 5) {
      const entry = { clientOrderId: key, clientHash: hash(key), serial: step };
      table.set(entry);
      model.set(key, entry);
      live.push(entry);
    } else if (roll < 8 && live.length > 0) {
      // Delete an entry by identity, possibly one that a newer entry has replaced (then nothing changes).
      const at = rng.nextInt(live.length);
      const entry = live[at] as Entry;
      live[at] = live[live.length - 1] as Entry;
      live.pop();
      table.delete(entry);
      if (model.get(entry.clientOrderId) === entry) model.delete(entry.clientOrderId);
    } else {
      expect(table.get(key, hash(key))).toBe(model.get(key));
    }
    expect(table.size).toBe(model.size);
  }
  for (const [key, entry] of model) expect(table.get(key, hash(key))).toBe(entry);
}

describe('ClientIdTable', () => {
  it('agrees with a Map under random sets, replacements and deletions', () => {
    exercise(1, hashClientId);
  });

  it('agrees with a Map when hashes collide heavily (long probe runs, wrap-around deletions)', () => {
    exercise(2, (key) => hashClientId(key) & 0x3f);
    exercise(3, () => 5);
  });

  it('hashes to a non-negative 30-bit integer', () => {
    for (const key of ['', 'a', 'b1', 'x'.repeat(64), '客户-1']) {
      const h = hashClientId(key);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 30).toBe(true);
    }
    expect(hashClientId('b12')).not.toBe(hashClientId('b21'));
  });
});
