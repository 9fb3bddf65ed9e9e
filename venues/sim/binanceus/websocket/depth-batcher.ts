import type { PaperBookEvent } from '../../../paper/index.ts';
import { wire } from '../common/instruments.ts';

interface Batch {
  readonly first: number;
  last: number;
  time: number;
  /** Wire price → [price, quantity]; the latest quantity of a level wins. */
  readonly bids: Map<string, readonly [string, string]>;
  readonly asks: Map<string, readonly [string, string]>;
}

/**
 * Diff depth as the venue sends it: every engine change within one update interval (100 ms for
 * `<s>@depth@100ms`, 1000 ms for `<s>@depth`) merged into one `depthUpdate`, `U` the first update id
 * of the interval and `u` the last, each changed level once with its final quantity.
 */
export class DepthBatcher {
  readonly #batches = new Map<string, Batch>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly publish: (symbol: string, payload: Record<string, unknown>) => void,
  ) {}

  add(event: PaperBookEvent, first: number, last: number): void {
    const symbol = event.instrumentId;
    let batch = this.#batches.get(symbol);
    if (batch === undefined) {
      batch = { first, last, time: event.time, bids: new Map(), asks: new Map() };
      this.#batches.set(symbol, batch);
    }
    batch.last = last;
    batch.time = event.time;
    for (const [p, q] of event.bids) batch.bids.set(wire(p), [wire(p), wire(q)]);
    for (const [p, q] of event.asks) batch.asks.set(wire(p), [wire(p), wire(q)]);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flushAll();
      }, this.intervalMs);
      this.#timer.unref();
    }
  }

  /** Sends the symbol's pending changes now (before an injected gap, so the gap shows between events). */
  flush(symbol: string): void {
    const batch = this.#batches.get(symbol);
    if (batch === undefined) return;
    this.#batches.delete(symbol);
    this.publish(symbol, {
      e: 'depthUpdate',
      E: batch.time,
      s: symbol,
      U: batch.first,
      u: batch.last,
      b: [...batch.bids.values()],
      a: [...batch.asks.values()],
    });
  }

  flushAll(): void {
    for (const symbol of [...this.#batches.keys()]) this.flush(symbol);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#batches.clear();
  }
}
