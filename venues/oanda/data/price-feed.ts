import type { InstrumentId } from '../../../domain/index.ts';
import type { Logger } from '../../../observability/index.ts';
import type { BookSnapshot, MarketDataEvent } from '../../venue-connector.ts';
import type { OandaPrice } from '../common/price-line.ts';

/** An OANDA price as a full top-of-book snapshot (every price line replaces the whole book). */
export function priceToSnapshot(
  instrumentId: InstrumentId,
  price: OandaPrice,
  sequence: number,
  depth = Infinity,
): BookSnapshot {
  return {
    instrumentId,
    sequence,
    bids: depth >= price.bids.length ? price.bids : price.bids.slice(0, depth),
    asks: depth >= price.asks.length ? price.asks : price.asks.slice(0, depth),
    timestamp: price.time,
  };
}

/**
 * Fans prices out to subscribers per instrument as `snapshot` events with an adapter sequence
 * (OANDA has no book sequence), and `stale` events when the pricing stream reconnects. A throwing
 * subscriber is logged and does not stop the others.
 */
export class OandaPriceFeed {
  readonly #listeners = new Map<string, Set<(event: MarketDataEvent) => void>>();
  readonly #ids = new Map<string, InstrumentId>();
  readonly #sequences = new Map<string, number>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers a listener for an OANDA instrument name; returns its removal. */
  add(name: string, instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): () => void {
    this.#ids.set(name, instrumentId);
    let set = this.#listeners.get(name);
    if (set === undefined) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  price(price: OandaPrice): void {
    const id = this.#ids.get(price.instrument);
    const set = this.#listeners.get(price.instrument);
    if (id === undefined || set === undefined) return;
    const sequence = (this.#sequences.get(price.instrument) ?? 0) + 1;
    this.#sequences.set(price.instrument, sequence);
    this.#emit(set, { kind: 'snapshot', book: priceToSnapshot(id, price, sequence) });
  }

  stale(reason: string): void {
    for (const [name, set] of this.#listeners) {
      const id = this.#ids.get(name);
      if (id !== undefined) this.#emit(set, { kind: 'stale', instrumentId: id, reason });
    }
  }

  #emit(set: ReadonlySet<(event: MarketDataEvent) => void>, event: MarketDataEvent): void {
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error(
          { err: error, kind: event.kind },
          'market data listener threw; others still served',
        );
      }
    }
  }
}
