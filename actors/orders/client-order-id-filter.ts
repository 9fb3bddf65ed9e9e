/**
 * A set membership test for client order ids that never says "no" for a member and says "maybe" for
 * a non-member with a small probability: a scalable Bloom filter (layers of doubling capacity and
 * halving error rate, so the total false-positive rate stays below 2 × FIRST_LAYER_ERROR however
 * many ids are added). About 15 bits per id of capacity (up to twice that while the newest layer
 * fills): a million archived orders cost 2–4 MB.
 *
 * The order manager asks it on every new client order id; only a "maybe" costs a history read.
 */
export class ClientOrderIdFilter {
  private readonly layers: BloomLayer[] = [];
  private count = 0;

  constructor(private readonly firstCapacity = 4_096) {}

  /** Ids added so far (repeats included). */
  get size(): number {
    return this.count;
  }

  /** Approximate memory of the bit arrays, in bytes. */
  get bytes(): number {
    return this.layers.reduce((sum, layer) => sum + layer.bits.byteLength, 0);
  }

  add(clientOrderId: string): void {
    let layer = this.layers[this.layers.length - 1];
    if (layer === undefined || layer.added >= layer.capacity) {
      const index = this.layers.length;
      layer = new BloomLayer(this.firstCapacity * 2 ** index, FIRST_LAYER_ERROR / 2 ** index);
      this.layers.push(layer);
    }
    const [h1, h2] = hashes(clientOrderId);
    layer.add(h1, h2);
    this.count += 1;
  }

  /** False: certainly never added. True: probably added. */
  mightContain(clientOrderId: string): boolean {
    if (this.layers.length === 0) return false;
    const [h1, h2] = hashes(clientOrderId);
    for (const layer of this.layers) if (layer.has(h1, h2)) return true;
    return false;
  }
}

const FIRST_LAYER_ERROR = 0.002;

class BloomLayer {
  readonly bits: Uint32Array;
  private readonly bitCount: number;
  private readonly hashCount: number;
  added = 0;

  constructor(
    readonly capacity: number,
    errorRate: number,
  ) {
    // Optimal sizes for `capacity` ids at `errorRate`: m = −n·ln p / ln²2, k = −log2 p.
    this.bitCount = Math.max(64, Math.ceil((-capacity * Math.log(errorRate)) / (Math.LN2 * Math.LN2)));
    this.hashCount = Math.max(1, Math.ceil(-Math.log2(errorRate)));
    this.bits = new Uint32Array(Math.ceil(this.bitCount / 32));
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < this.hashCount; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.bitCount;
      this.bits[at >>> 5] = (this.bits[at >>> 5] ?? 0) | (1 << (at & 31));
    }
    this.added += 1;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < this.hashCount; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.bitCount;
      if (((this.bits[at >>> 5] ?? 0) & (1 << (at & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * Two independent 32-bit hashes of the id's UTF-16 code units (FNV-1a with two offsets, then a
 * murmur3 finaliser), combined as h1 + i·h2 (Kirsch–Mitzenmacher double hashing). Not
 * cryptographic: ids are the account's own, and a collision only costs a history read.
 */
function hashes(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [mix(a), mix(b) | 1];
}

function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
