/**
 * Per-stream string tables (the "compression" of Akka Artery's actor references and manifests):
 * target, sender and type repeat from envelope to envelope, so the sender gives each a small index
 * the first time it sends it on a stream and later sends only the index; the receiver keeps the
 * decoded string per index. Each stream direction has its own pair of tables, empty when the
 * stream opens and dropped with it, so no mapping outlives the stream it was made on (a peer that
 * restarts starts from empty tables on both sides). Indices are 1, 2, 3... in the order they are
 * defined; the table is bounded, and once it is full the sender sends literals. See
 * docs/remoting.md ("Fifth round").
 */
import { MalformedFrameError } from './errors.ts';

/** Entries a node keeps per stream direction, and announces to its peer (StreamFeatures). */
export const STRING_TABLE_ENTRIES = 4096;

/** The last string looked up in one field and its index: target, sender and type mostly repeat. */
interface FieldMemo {
  text: string;
  index: number;
}

/** The sending side of one stream: the index of each string defined on it so far. */
export class StringTableEncoder {
  readonly capacity: number;
  private readonly indices = new Map<string, number>();
  /** Size of each entry's literal field (tag, length, UTF-8 bytes), by index; slot 0 unused. */
  private readonly literalSizes: number[] = [0];
  /** Bytes each entry's reference field saves on its literal field, by index; slot 0 unused. */
  private readonly savings: number[] = [0];
  private readonly memo: readonly [FieldMemo, FieldMemo, FieldMemo] = [
    { text: '', index: 0 },
    { text: '', index: 0 },
    { text: '', index: 0 },
  ];

  /** `capacity`: entries the peer announced it keeps (at most STRING_TABLE_ENTRIES are used). */
  constructor(capacity: number) {
    this.capacity = Math.min(Math.max(0, Math.floor(capacity)), STRING_TABLE_ENTRIES);
  }

  /** Entries defined so far. */
  get size(): number {
    return this.literalSizes.length - 1;
  }

  /** The index of `text` (looked up for field `slot`: 0 target, 1 sender, 2 type), or 0 when it has none. */
  indexOf(text: string, slot: 0 | 1 | 2): number {
    const memo = this.memo[slot];
    // Usually the very string object of the previous envelope: no hashing at all.
    if (text === memo.text) return memo.index;
    const index = this.indices.get(text);
    if (index === undefined) return 0;
    memo.text = text;
    memo.index = index;
    return index;
  }

  /** Size of the literal field of a defined index. */
  literalSize(index: number): number {
    const size = this.literalSizes[index];
    if (size === undefined) throw new RangeError(`string table: no index ${String(index)}`);
    return size;
  }

  /** Bytes the reference field of a defined index (tag and varint) saves on its literal field. */
  saving(index: number): number {
    const saving = this.savings[index];
    if (saving === undefined) throw new RangeError(`string table: no index ${String(index)}`);
    return saving;
  }

  /**
   * Gives `text` (whose literal field is `literalSize` bytes) the next index and returns it, or 0
   * when the table is full. The caller must then send the definition (literal and index) before
   * any envelope that uses the index alone.
   */
  add(text: string, literalSize: number, slot: 0 | 1 | 2): number {
    const index = this.literalSizes.length;
    if (index > this.capacity) return 0;
    this.literalSizes.push(literalSize);
    this.savings.push(literalSize - refFieldSize(index));
    this.indices.set(text, index);
    const memo = this.memo[slot];
    memo.text = text;
    memo.index = index;
    return index;
  }
}

/** Bytes of a reference field (tag and varint) to `index` (below 2^28; tables hold 4,096). */
export function refFieldSize(index: number): number {
  if (index < 0x80) return 2;
  if (index < 0x4000) return 3;
  return index < 0x200000 ? 4 : 5;
}

/** The receiving side of one stream: the string of each index its peer defined. */
export class StringTableDecoder {
  /** `strings[i]` is index i's string; slot 0 is never used. */
  private readonly strings: string[] = [''];

  constructor(readonly capacity: number) {}

  /** Entries defined so far. */
  get size(): number {
    return this.strings.length - 1;
  }

  /** Defines `index` as `text`; the index must be the next one and within the capacity. */
  define(index: number, text: string): void {
    const next = this.strings.length;
    if (index !== next) {
      throw new MalformedFrameError(
        `string table: index ${String(index)} defined out of order (the next index is ${String(next)})`,
      );
    }
    if (index > this.capacity) {
      throw new MalformedFrameError(
        `string table: index ${String(index)} is beyond the ${String(this.capacity)} entries announced`,
      );
    }
    this.strings.push(text);
  }

  /** The string of a defined index (1 and up), or undefined. */
  lookup(index: number): string | undefined {
    return index > 0 ? this.strings[index] : undefined;
  }

  /** The string of a defined index. */
  resolve(index: number): string {
    const text = index > 0 ? this.strings[index] : undefined;
    if (text === undefined) {
      throw new MalformedFrameError(
        `string table: unknown index ${String(index)} (${String(this.strings.length - 1)} defined)`,
      );
    }
    return text;
  }
}
