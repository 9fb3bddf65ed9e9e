/** A transaction as the simulator stores and sends it: the wire object, ids as decimal strings. */
export type SimTransaction = Readonly<Record<string, unknown>> & {
  readonly id: string;
  readonly type: string;
};

/** Transactions kept for transactions/sinceid: the newest this many (at least; dropped in chunks). */
export const TRANSACTIONS_KEPT = 10_000;
/**
 * The oldest transactions are dropped this many at a time (one splice per chunk, not one per
 * append), at most an eighth of the window: a small window must not hold a chunk of 1,024 beyond it.
 */
const MAX_DROP_CHUNK = 1_024;

/**
 * The account's transaction history: ids are consecutive integers from 1 (OANDA numbers transactions
 * per account), each pushed to the transaction stream listeners and kept for transactions/sinceid,
 * the newest `kept` of them (keeping all grew without bound; a reader that fell further behind than
 * that is told so, not given a partial answer).
 */
export class TransactionLog {
  readonly #entries: SimTransaction[] = [];
  /** How many of the oldest transactions are no longer kept (the first kept one's id is this + 1). */
  #dropped = 0;
  readonly #listeners = new Set<(t: SimTransaction) => void>();
  readonly #base: Readonly<Record<string, unknown>>;
  /** At least this many of the newest transactions are kept. */
  readonly kept: number;
  readonly #dropChunk: number;

  constructor(base: Readonly<Record<string, unknown>>, kept = TRANSACTIONS_KEPT) {
    if (!Number.isInteger(kept) || kept < 1)
      throw new RangeError(`transactions kept must be a positive integer, got ${String(kept)}`);
    this.#base = base;
    this.kept = kept;
    this.#dropChunk = Math.min(MAX_DROP_CHUNK, Math.ceil(kept / 8));
  }

  get lastId(): string {
    return String(this.#dropped + this.#entries.length);
  }

  /** The id the next transaction will get. */
  get nextId(): string {
    return String(this.#dropped + this.#entries.length + 1);
  }

  /** Records a transaction with the next id and common fields; returns it. */
  append(
    type: string,
    fields: Readonly<Record<string, unknown>>,
    time: string,
    batchId?: string,
  ): SimTransaction {
    const id = this.nextId;
    const t: SimTransaction = { ...fields, id, time, type, ...this.#base, batchID: batchId ?? id };
    this.#entries.push(t);
    if (this.#entries.length >= this.kept + this.#dropChunk) {
      this.#entries.splice(0, this.#dropChunk);
      this.#dropped += this.#dropChunk;
    }
    for (const listener of this.#listeners) listener(t);
    return t;
  }

  /**
   * Transactions with id > `sinceId`, optionally of the listed types only; undefined when some of
   * them are no longer kept.
   */
  since(sinceId: number, types: ReadonlySet<string> | undefined): SimTransaction[] | undefined {
    if (sinceId < this.#dropped) return undefined;
    const out = this.#entries.slice(Math.max(0, sinceId - this.#dropped));
    return types === undefined ? out : out.filter((t) => types.has(t.type));
  }

  subscribe(listener: (t: SimTransaction) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
