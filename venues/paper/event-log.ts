import { FixedDecimal, Quantity } from '../../domain/values/index.ts';
import type { BookLevel } from './commands.ts';
import type { EngineEvent, EngineListener } from './engine-events.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { AssetBalance } from './ledger.ts';
import type { ExecutionType } from './order-enums.ts';
import type { PriceLevel } from './order-book.ts';
import type { PaperFill } from './paper-order.ts';
import { orderSnapshot } from './snapshots.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * Builds the events of a command and delivers them once the command is complete, so a listener
 * always sees a consistent engine and may itself call the engine (its events queue behind).
 */
export class EventLog {
  private listeners: readonly EngineListener[] = [];
  private readonly pending: EngineEvent[] = [];
  private sequence = 0n;
  private delivering = false;

  constructor(private readonly onListenerError: ((error: unknown, event: EngineEvent) => void) | undefined) {}

  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private next(): bigint {
    this.sequence += 1n;
    return this.sequence;
  }

  order(order: WorkingOrder, execution: ExecutionType, time: number, fill?: PaperFill): void {
    this.pending.push({
      kind: 'order',
      sequence: this.next(),
      time,
      accountId: order.account.id,
      order: orderSnapshot(order),
      execution,
      fill,
    });
  }

  /**
   * Brings the order's last event of this command up to its final state: a buy by quote amount
   * learns its quantity only once matching is over, so its fills went out as PARTIALLY_FILLED and
   * the last of them must say FILLED (a Binance.US quoteOrderQty order's last TRADE report does).
   * Returns whether there was one to update.
   */
  settleLastOrderEvent(order: WorkingOrder): boolean {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const event = this.pending[i];
      if (event?.kind === 'order' && event.order.orderId === order.orderId) {
        this.pending[i] = { ...event, order: orderSnapshot(order) };
        return true;
      }
    }
    return false;
  }

  trade(taker: WorkingOrder, maker: WorkingOrder, fill: PaperFill, bookSequence: number): void {
    this.pending.push({
      kind: 'trade',
      sequence: this.next(),
      time: fill.time,
      instrumentId: taker.instrument.id,
      tradeId: fill.tradeId,
      price: fill.price,
      quantity: fill.quantity,
      takerSide: taker.side,
      buyerOrderId: taker.isBuy ? taker.orderId : maker.orderId,
      sellerOrderId: taker.isBuy ? maker.orderId : taker.orderId,
      bookSequence: BigInt(bookSequence),
    });
  }

  balance(balance: AssetBalance, time: number): void {
    const precision = balance.asset.precision;
    this.pending.push({
      kind: 'balance',
      sequence: this.next(),
      time,
      accountId: balance.accountId,
      asset: balance.asset.code,
      free: FixedDecimal.fromRaw(balance.free, precision),
      locked: FixedDecimal.fromRaw(balance.locked, precision),
    });
  }

  /** The changed levels of one instrument's book since its last book event. */
  book(instrument: InstrumentState, time: number): void {
    const book = instrument.book;
    const qp = instrument.rules.quantityPrecision;
    // A level removed and re-created in one command appears twice; the later entry wins.
    const bids = new Map<bigint, PriceLevel>();
    const asks = new Map<bigint, PriceLevel>();
    for (const level of book.changed) (level.isBid ? bids : asks).set(level.price, level);
    const levels = (side: Map<bigint, PriceLevel>, descending: boolean): BookLevel[] =>
      [...side.values()]
        .sort((a, b) => (a.price === b.price ? 0 : a.price < b.price === descending ? 1 : -1))
        .map((l): BookLevel => [l.priceObj, Quantity.fromRaw(l.total, qp)]);
    this.pending.push({
      kind: 'book',
      sequence: this.next(),
      time,
      instrumentId: instrument.id,
      firstSequence: BigInt(book.commandStart + 1),
      lastSequence: BigInt(book.sequence),
      bids: levels(bids, true),
      asks: levels(asks, false),
    });
    book.changed.length = 0;
    book.mark++;
  }

  /** Delivers queued events to every listener, unless a delivery is already under way further up the stack. */
  deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    let firstError: { error: unknown } | undefined;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const event = this.pending[i] as EngineEvent;
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (error) {
            if (this.onListenerError !== undefined) this.onListenerError(error, event);
            else firstError ??= { error };
          }
        }
      }
    } finally {
      this.pending.length = 0;
      this.delivering = false;
    }
    if (firstError !== undefined) throw firstError.error;
  }
}
