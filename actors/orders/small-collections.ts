/**
 * A set and a map of a few string keys, kept in arrays, for what an account has in flight (the
 * placements awaiting the venue's answer): each order adds one entry and removes it a few ms later.
 * A Set or Map whose size goes up and down like that gets a new backing table every change or two
 * (the table shrinks when it empties and is rebuilt to drop deleted entries), and V8 makes the new
 * table in the old generation when the collection is old, as an order manager's are: measured, a
 * tenured Set or Map going 0 → 1 → 0 entries allocated 130–170 bytes of old space per cycle (50–110
 * with two entries overlapping), these arrays none. Per order, that is old-generation growth,
 * hence mark-compacts. `has`, `get` and `delete` scan the keys: for a handful of entries, not for
 * large collections.
 */
export class SmallSet<K extends string> {
  readonly #keys = new Slots<K>();

  get size(): number {
    return this.#keys.size;
  }

  has(key: K): boolean {
    return this.#keys.indexOf(key) >= 0;
  }

  add(key: K): this {
    if (this.#keys.indexOf(key) < 0) this.#keys.push(key);
    return this;
  }

  delete(key: K): boolean {
    const at = this.#keys.indexOf(key);
    if (at < 0) return false;
    this.#keys.removeAt(at);
    return true;
  }
}

/** As SmallSet, with a value per key (see there); a value is never undefined. */
export class SmallMap<K extends string, V> {
  readonly #keys = new Slots<K>();
  readonly #values = new Slots<V>();

  get size(): number {
    return this.#keys.size;
  }

  get(key: K): V | undefined {
    const at = this.#keys.indexOf(key);
    return at < 0 ? undefined : this.#values.at(at);
  }

  set(key: K, value: V): this {
    const at = this.#keys.indexOf(key);
    if (at < 0) {
      this.#keys.push(key);
      this.#values.push(value);
    } else this.#values.put(at, value);
    return this;
  }

  delete(key: K): boolean {
    const at = this.#keys.indexOf(key);
    if (at < 0) return false;
    this.#keys.removeAt(at);
    this.#values.removeAt(at);
    return true;
  }

  /** The entries as they are now: deleting while going through them is safe. */
  entries(): [K, V][] {
    const entries: [K, V][] = [];
    for (let i = 0; i < this.#keys.size; i++) {
      const key = this.#keys.at(i);
      const value = this.#values.at(i);
      if (key !== undefined && value !== undefined) entries.push([key, value]);
    }
    return entries;
  }
}

/**
 * The first `size` slots of an array that never shrinks: an array emptied by pop() may drop its
 * backing store, and the next push allocates a new one (about 150 bytes a cycle, measured), so a
 * removed slot is cleared instead (its value released), and the array only grows.
 */
class Slots<T> {
  readonly #slots: (T | undefined)[] = [];
  size = 0;

  indexOf(item: T): number {
    const at = this.#slots.indexOf(item);
    return at < this.size ? at : -1;
  }

  at(index: number): T | undefined {
    return index < this.size ? this.#slots[index] : undefined;
  }

  put(index: number, item: T): void {
    this.#slots[index] = item;
  }

  push(item: T): void {
    if (this.size < this.#slots.length) this.#slots[this.size] = item;
    else this.#slots.push(item);
    this.size += 1;
  }

  /** Moves the last item into `index` (order not kept) and clears the last slot. */
  removeAt(index: number): void {
    const last = this.size - 1;
    this.#slots[index] = this.#slots[last];
    this.#slots[last] = undefined;
    this.size = last;
  }
}
