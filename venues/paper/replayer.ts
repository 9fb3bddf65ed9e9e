import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Price, Quantity } from '../../domain/values/index.ts';
import type { BookLevel, SubmitOrder, SubmitResult } from './commands.ts';
import type { MatchingEngine } from './matching-engine.ts';
import type { PaperOrderSide } from './order-enums.ts';
import { rawAt } from './paper-instrument.ts';

/** One recorded market-data message, in the engine's value types. */
export type ReplayRecord =
  /** The whole book: levels not listed are removed. */
  | {
      readonly kind: 'snapshot';
      readonly instrumentId: string;
      readonly bids: readonly BookLevel[];
      readonly asks: readonly BookLevel[];
    }
  /** Changed levels with their new total quantity; zero removes the level. */
  | {
      readonly kind: 'diff';
      readonly instrumentId: string;
      readonly bids: readonly BookLevel[];
      readonly asks: readonly BookLevel[];
    }
  /** A recorded trade, replayed as an IOC order of the taker side at the trade price. */
  | {
      readonly kind: 'trade';
      readonly instrumentId: string;
      readonly price: Price;
      readonly quantity: Quantity;
      readonly takerSide: PaperOrderSide;
    };

export interface ReplayerOptions {
  readonly engine: MatchingEngine;
  /** Holds the replayed book levels. Default `paper-replay`. */
  readonly accountId?: string;
  /** Sends replayed trades. Default `paper-replay-taker`. */
  readonly takerAccountId?: string;
  /** Funding of both accounts per asset, topped up when short. Default 1,000,000,000,000 units. */
  readonly funding?: string;
}

export interface ReplayStats {
  readonly levelsSet: number;
  readonly levelsRemoved: number;
  readonly trades: number;
  /** Levels or trades the engine refused (off-tick price, off-step quantity, …). */
  readonly rejected: number;
}

interface ReplayLevel {
  readonly orderId: string;
  readonly quantity: bigint;
}

/**
 * Book-only replay of recorded market data into a MatchingEngine. Each recorded level is one
 * resting order of a passive replay account, so user orders meet recorded liquidity with real
 * price-time priority. Changing a level cancels its order and places a new one (the level loses
 * its place in the queue, as a simple model of queue churn). A replayed level that crosses a user's
 * order trades with it, as the recorded market would have. Recorded trades are sent as IOC orders
 * from a second account, and may consume replayed levels as well as user orders.
 */
export class Replayer {
  private readonly engine: MatchingEngine;
  private readonly accountId: string;
  private readonly takerAccountId: string;
  private readonly funding: string;
  /** instrumentId → side → raw price → replay order. */
  private readonly levels = new Map<
    string,
    { bids: Map<bigint, ReplayLevel>; asks: Map<bigint, ReplayLevel> }
  >();
  private nextClientId = 1;

  constructor(options: ReplayerOptions) {
    this.engine = options.engine;
    this.accountId = options.accountId ?? 'paper-replay';
    this.takerAccountId = options.takerAccountId ?? 'paper-replay-taker';
    if (this.accountId === this.takerAccountId) {
      throw new InvalidArgumentError('takerAccountId', 'must differ from accountId');
    }
    this.funding = options.funding ?? '1000000000000';
  }

  /** Applies records in order and sums what they did. */
  applyAll(records: Iterable<ReplayRecord>): ReplayStats {
    const total = { levelsSet: 0, levelsRemoved: 0, trades: 0, rejected: 0 };
    for (const record of records) {
      const stats = this.apply(record);
      total.levelsSet += stats.levelsSet;
      total.levelsRemoved += stats.levelsRemoved;
      total.trades += stats.trades;
      total.rejected += stats.rejected;
    }
    return total;
  }

  apply(record: ReplayRecord): ReplayStats {
    const stats = { levelsSet: 0, levelsRemoved: 0, trades: 0, rejected: 0 };
    if (record.kind === 'trade') {
      this.trade(record, stats);
      return stats;
    }
    const book = this.bookOf(record.instrumentId);
    if (record.kind === 'snapshot') {
      const keep = (levels: readonly BookLevel[]): Set<bigint | undefined> =>
        new Set(levels.map(([price]) => this.priceRaw(record.instrumentId, price)));
      const keepBids = keep(record.bids);
      const keepAsks = keep(record.asks);
      for (const price of [...book.bids.keys()]) {
        if (!keepBids.has(price)) this.remove(record.instrumentId, book.bids, price, stats);
      }
      for (const price of [...book.asks.keys()]) {
        if (!keepAsks.has(price)) this.remove(record.instrumentId, book.asks, price, stats);
      }
    }
    // Removals first, so that a level moving from one side to the other never meets its old self.
    for (const [isBid, levels] of [
      [true, record.bids],
      [false, record.asks],
    ] as const) {
      for (const [price, quantity] of levels) {
        if (quantity.raw === 0n)
          this.remove(
            record.instrumentId,
            isBid ? book.bids : book.asks,
            this.priceRaw(record.instrumentId, price),
            stats,
          );
      }
    }
    for (const [isBid, levels] of [
      [true, record.bids],
      [false, record.asks],
    ] as const) {
      for (const [price, quantity] of levels) {
        if (quantity.raw !== 0n) this.set(record.instrumentId, isBid, price, quantity, stats);
      }
    }
    return stats;
  }

  private bookOf(instrumentId: string): { bids: Map<bigint, ReplayLevel>; asks: Map<bigint, ReplayLevel> } {
    let book = this.levels.get(instrumentId);
    if (book === undefined) {
      this.engine.instrumentRules(instrumentId); // throws UnknownInstrumentError for an unknown id
      book = { bids: new Map(), asks: new Map() };
      this.levels.set(instrumentId, book);
    }
    return book;
  }

  /** The price at tick precision, or undefined when it is finer than that (the engine would refuse it). */
  private priceRaw(instrumentId: string, price: Price): bigint | undefined {
    return rawAt(price, this.engine.instrumentRules(instrumentId).pricePrecision);
  }

  private remove(
    instrumentId: string,
    side: Map<bigint, ReplayLevel>,
    price: bigint | undefined,
    stats: { levelsRemoved: number },
  ): void {
    if (price === undefined) return;
    const level = side.get(price);
    if (level === undefined) return;
    side.delete(price);
    this.engine.cancel(this.accountId, { orderId: level.orderId }, instrumentId);
    stats.levelsRemoved++;
  }

  private set(
    instrumentId: string,
    isBid: boolean,
    price: Price,
    quantity: Quantity,
    stats: { levelsSet: number; levelsRemoved: number; rejected: number },
  ): void {
    const book = this.bookOf(instrumentId);
    const side = isBid ? book.bids : book.asks;
    const raw = this.priceRaw(instrumentId, price);
    const quantityRaw = rawAt(quantity, this.engine.instrumentRules(instrumentId).quantityPrecision);
    if (raw === undefined || quantityRaw === undefined) {
      stats.rejected++;
      return;
    }
    const existing = side.get(raw);
    if (existing !== undefined) {
      const open = this.engine.getOrder(this.accountId, { orderId: existing.orderId }, instrumentId);
      const untouched = open?.status === 'NEW' && existing.quantity === quantityRaw;
      if (untouched) return;
      this.remove(instrumentId, side, raw, { levelsRemoved: 0 });
    }
    // Our own levels on the other side at or through this price are stale: the recording has moved on.
    const other = isBid ? book.asks : book.bids;
    for (const otherPrice of [...other.keys()]) {
      if (isBid ? otherPrice <= raw : otherPrice >= raw) this.remove(instrumentId, other, otherPrice, stats);
    }
    const result = this.submitFunded(this.accountId, {
      clientOrderId: `replay-${this.nextClientId++}`,
      instrumentId,
      side: isBid ? 'BUY' : 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price,
      quantity,
    });
    if (!result.accepted) {
      stats.rejected++;
      return;
    }
    stats.levelsSet++;
    if (result.order.status === 'NEW' || result.order.status === 'PARTIALLY_FILLED') {
      side.set(raw, { orderId: result.order.orderId, quantity: quantityRaw });
    }
  }

  private trade(
    record: Extract<ReplayRecord, { kind: 'trade' }>,
    stats: { trades: number; rejected: number },
  ): void {
    this.bookOf(record.instrumentId);
    const result = this.submitFunded(this.takerAccountId, {
      clientOrderId: `replay-${this.nextClientId++}`,
      instrumentId: record.instrumentId,
      side: record.takerSide,
      type: 'LIMIT',
      timeInForce: 'IOC',
      price: record.price,
      quantity: record.quantity,
    });
    if (result.accepted) stats.trades += result.fills.length;
    else stats.rejected++;
  }

  private submitFunded(accountId: string, cmd: SubmitOrder): SubmitResult {
    const result = this.engine.submit(accountId, cmd);
    if (result.accepted || result.reason !== 'INSUFFICIENT_BALANCE') return result;
    const rules = this.engine.instrumentRules(cmd.instrumentId);
    this.engine.deposit(accountId, rules.base, this.funding);
    this.engine.deposit(accountId, rules.quote, this.funding);
    return this.engine.submit(accountId, cmd);
  }
}
