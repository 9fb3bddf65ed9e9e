/** What the table keys on (the engine's WorkingOrder). */
export interface ClientKeyed {
  readonly clientOrderId: string;
  /** `hashClientId(clientOrderId)`. */
  readonly clientHash: number;
}

/** A 30-bit hash of a client order id (FNV-1a with a final mix): always a small integer for V8. */
export function hashClientId(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & 0x3fffffff;
}

const INITIAL_CAPACITY = 64;

/**
 * One account's latest order per client order id. Open addressing with linear probing and
 * backward-shift deletion over a power-of-two array, the hashes kept beside the orders in a typed
 * array so that a probe compares integers and reads an order only on a hash match.
 *
 * It replaces a `Map<string, WorkingOrder>`: every submit looks up and sets an entry and every
 * forgotten order deletes one, on tables of a few thousand entries, and the Map's deletions and
 * rehashes were among the engine's largest costs (see README, Performance).
 */
export class ClientIdTable<T extends ClientKeyed> {
  private orders: (T | undefined)[];
  private hashes: Int32Array;
  private mask: number;
  private count = 0;

  constructor() {
    this.orders = new Array<T | undefined>(INITIAL_CAPACITY).fill(undefined);
    this.hashes = new Int32Array(INITIAL_CAPACITY);
    this.mask = INITIAL_CAPACITY - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The order holding `key` (whose hash is `hash`), if any. */
  get(key: string, hash: number): T | undefined {
    const orders = this.orders;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const order = orders[i];
      if (order === undefined) return undefined;
      if (hashes[i] === hash && order.clientOrderId === key) return order;
    }
  }

  /** Makes `order` the holder of its client order id (`order.clientHash` set), replacing any previous holder. */
  set(order: T): void {
    if ((this.count + 1) * 2 > this.orders.length) this.grow();
    const key = order.clientOrderId;
    const hash = order.clientHash;
    const orders = this.orders;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const held = orders[i];
      if (held === undefined) break;
      if (hashes[i] === hash && held.clientOrderId === key) {
        orders[i] = order;
        return;
      }
      i = (i + 1) & mask;
    }
    orders[i] = order;
    hashes[i] = hash;
    this.count++;
  }

  /** Removes `order` itself; nothing happens when another order has taken its client order id since. */
  delete(order: T): void {
    const orders = this.orders;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = order.clientHash & mask;
    for (;;) {
      const held = orders[i];
      if (held === undefined) return;
      if (held === order) break;
      i = (i + 1) & mask;
    }
    this.count--;
    // Backward shift: pull later entries of the probe run into the hole when their home allows it,
    // so that no tombstones are needed and probe runs stay short.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const moving = orders[j];
      if (moving === undefined) break;
      const home = (hashes[j] as number) & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      orders[hole] = moving;
      hashes[hole] = hashes[j] as number;
      hole = j;
    }
    orders[hole] = undefined;
  }

  private grow(): void {
    const oldOrders = this.orders;
    const capacity = oldOrders.length * 2;
    this.orders = new Array<T | undefined>(capacity).fill(undefined);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (const order of oldOrders) if (order !== undefined) this.set(order);
  }
}
