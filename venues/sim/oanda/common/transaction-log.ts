/** A transaction as the simulator stores and sends it: the wire object, ids as decimal strings. */
export type SimTransaction = Readonly<Record<string, unknown>> & {
  readonly id: string;
  readonly type: string;
};

/**
 * The account's transaction history: ids are consecutive integers from 1 (OANDA numbers transactions
 * per account), each kept for transactions/sinceid and pushed to the transaction stream listeners.
 */
export class TransactionLog {
  readonly #entries: SimTransaction[] = [];
  readonly #listeners = new Set<(t: SimTransaction) => void>();
  readonly #base: Readonly<Record<string, unknown>>;

  constructor(base: Readonly<Record<string, unknown>>) {
    this.#base = base;
  }

  get lastId(): string {
    return String(this.#entries.length);
  }

  /** The id the next transaction will get. */
  get nextId(): string {
    return String(this.#entries.length + 1);
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
    for (const listener of this.#listeners) listener(t);
    return t;
  }

  /** Transactions with id > `sinceId`, optionally of the listed types only. */
  since(sinceId: number, types: ReadonlySet<string> | undefined): SimTransaction[] {
    const out = this.#entries.slice(Math.max(0, sinceId));
    return types === undefined ? out : out.filter((t) => types.has(t.type));
  }

  subscribe(listener: (t: SimTransaction) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
