import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account, AccountPair, AssetBalance } from './ledger.ts';
import type { PaperOrderSide, PaperOrderStatus, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PriceLevel } from './order-book.ts';

/**
 * `quoteRemaining` of an order that does not buy by quote amount. One shared value: V8 evaluates a
 * negative bigint literal such as `-1n` to a new heap object each time, so writing the literal per
 * submit gave every order record a young bigint of its own for each scavenge to copy and promote.
 */
export const NOT_BY_QUOTE = -1n;

/**
 * The engine's mutable record of an accepted order. It never leaves the engine: callers get
 * immutable `PaperOrder` snapshots. It is also the node of its price level's FIFO queue.
 */
export class WorkingOrder {
  // Not readonly: a forgotten order's record is reused for a new order (see OrderSlots), so that
  // steady-state trading allocates no order records for the collector to promote and copy.
  id!: number;
  clientOrderId!: string;
  /** `hashClientId(clientOrderId)`, the key of the account's ClientIdTable. */
  clientHash!: number;
  pair!: AccountPair;
  isBuy!: boolean;
  type!: PaperOrderType;
  timeInForce!: PaperTimeInForce;
  postOnly!: boolean;
  /** LIMIT and STOP_LIMIT: matches only at `price` or better. */
  hasLimit!: boolean;
  /** Raw at the tick's precision; 0n without a limit. */
  price!: bigint;
  priceObj!: Price | undefined;
  stopPrice!: bigint;
  stopObj!: Price | undefined;
  /** Raw at the step's precision; for a buy by quote amount it follows `filled`. */
  quantity!: bigint;
  quantityObj!: Quantity;
  quoteObj!: FixedDecimal | undefined;
  /** Buy by quote amount: quote still to spend, raw at the quote asset's ledger precision; else `NOT_BY_QUOTE`. */
  quoteRemaining!: bigint;
  /** Buys by quote amount (`quoteRemaining >= 0n`, fixed at submission), kept so that reading it needs no bigint. */
  byQuote!: boolean;
  filled!: bigint;
  /**
   * The price of every fill so far while they have all been at one price (always the case for a
   * resting order's maker fills), raw at the tick's precision; null once fills differ in price, and
   * `cumQuote` then holds the sum. Σ price × quantity is derived while it is set (`cumulativeQuote`),
   * so a filled order holds the level's own price rather than a new bigint of its own.
   */
  fillPrice!: bigint | null;
  /** Σ price × quantity, raw at the notional precision, once `fillPrice` is null. */
  cumQuote!: bigint;
  status!: PaperOrderStatus;
  // Initialised to a number (unlike the other fields) so that V8 keeps the two times unboxed in the
  // record, written in place: a tagged field would hold the clock's heap number of the command that
  // stamped it, one more young object per live order for each scavenge to copy.
  createdAt = 0;
  updatedAt = 0;
  triggered!: boolean;
  /**
   * Whether the funds this order holds follow from its remaining quantity (every sell, and limit and
   * stop-limit buys, which lock at their own price): then `locked` is not kept and `lockedFunds()`
   * derives it, so resting orders hold no bigint of their own for the collector to copy and promote.
   */
  locksRemaining!: boolean;
  /** Funds still locked for an order that does not lock by its remaining quantity (see `lockedFunds`). */
  locked!: bigint;
  level!: PriceLevel | null;
  prev!: WorkingOrder | null;
  next!: WorkingOrder | null;
  /** A newer order of the account has taken over this order's client order id. */
  superseded!: boolean;

  /** `values` holds the command's prices and quantities already checked and at the instrument's scale. */
  constructor(id: number, cmd: SubmitOrder, values: OrderValues, pair: AccountPair, time: number) {
    this.reuse(id, cmd, values, pair, time);
  }

  /** Makes this record (new, or forgotten by OrderSlots) the given new order; writes every field, in one order. */
  reuse(id: number, cmd: SubmitOrder, values: OrderValues, pair: AccountPair, time: number): this {
    this.id = id;
    this.clientOrderId = cmd.clientOrderId;
    this.clientHash = values.clientHash;
    this.pair = pair;
    this.isBuy = cmd.side === 'BUY';
    this.type = cmd.type;
    this.timeInForce = cmd.timeInForce;
    this.postOnly = cmd.postOnly === true;
    this.hasLimit = cmd.type === 'LIMIT' || cmd.type === 'STOP_LIMIT';
    this.price = values.price;
    this.priceObj = cmd.price;
    this.stopPrice = values.stopPrice;
    this.stopObj = cmd.stopPrice;
    this.quantity = values.quantity;
    this.quantityObj = cmd.quantity;
    this.quoteObj = cmd.quoteQuantity;
    this.quoteRemaining = values.quoteRemaining;
    this.byQuote = values.quoteRemaining >= 0n;
    this.filled = 0n;
    this.fillPrice = null;
    this.cumQuote = 0n;
    this.status = 'NEW';
    this.createdAt = time;
    this.updatedAt = time;
    this.triggered = cmd.type !== 'STOP' && cmd.type !== 'STOP_LIMIT';
    this.locksRemaining = cmd.side !== 'BUY' || this.hasLimit;
    this.locked = 0n;
    this.level = null;
    this.prev = null;
    this.next = null;
    this.superseded = false;
    return this;
  }

  // Derived from `pair` rather than stored: a smaller record per order means less for the collector to copy.
  get account(): Account {
    return this.pair.account;
  }

  // Built when asked (snapshots, fills) rather than kept: a string stored per order outlives the young
  // generation with the record and made every scavenge copy it.
  get orderId(): string {
    return String(this.id);
  }

  get instrument(): InstrumentState {
    return this.pair.instrument;
  }

  get side(): PaperOrderSide {
    return this.isBuy ? 'BUY' : 'SELL';
  }

  /** The balance this order's funds are locked in: quote for a buy, base for a sell. */
  get lockBalance(): AssetBalance {
    return this.isBuy ? this.pair.quote : this.pair.base;
  }

  get remaining(): bigint {
    return this.quantity - this.filled;
  }

  /**
   * Funds still locked for this order, raw at the ledger precision of `lockBalance`'s asset. A sell
   * locks its base quantity and each fill takes what it delivers; a limit buy locks price × quantity
   * and each fill releases price × filled quantity (a better fill price refunds the difference): both
   * leave exactly the remaining quantity's lock, computed here. Other buys keep theirs in `locked`.
   */
  lockedFunds(): bigint {
    if (!this.locksRemaining) return this.locked;
    const filled = this.filled;
    const quantity = this.quantity;
    if (filled === quantity) return 0n;
    const remaining = filled === 0n ? quantity : quantity - filled;
    const instrument = this.pair.instrument;
    return this.isBuy ? instrument.toQuoteLedger(this.price * remaining) : instrument.toBaseLedger(remaining);
  }

  /** Records a fill's notional (price × quantity at the notional precision) at `price`; call before `filled` counts it. */
  addFillNotional(price: bigint, notional: bigint): void {
    if (this.filled === 0n) {
      this.fillPrice = price;
      return;
    }
    const single = this.fillPrice;
    if (single === null) this.cumQuote += notional;
    else if (single !== price) {
      this.cumQuote = single * this.filled + notional;
      this.fillPrice = null;
    }
  }

  /** Σ price × quantity over the fills, raw at the notional precision. */
  cumulativeQuote(): bigint {
    const single = this.fillPrice;
    if (single === null) return this.cumQuote;
    return this.filled === 0n ? 0n : single * this.filled;
  }

  get isOpen(): boolean {
    return this.status === 'NEW' || this.status === 'PARTIALLY_FILLED';
  }

  get isByQuote(): boolean {
    return this.byQuote;
  }
}

/** A command's checked values at the instrument's raw scale; one instance is reused for every submit. */
export class OrderValues {
  /** At tick precision; 0n when the type has no limit price. */
  price = 0n;
  stopPrice = 0n;
  /** At step precision; 0n for a buy by quote amount. */
  quantity = 0n;
  /** `price × quantity` at the notional precision when the command has a limit price, else 0n. */
  notional = 0n;
  /** At the quote asset's ledger precision; `NOT_BY_QUOTE` unless buying by quote amount. */
  quoteRemaining = NOT_BY_QUOTE;
  /** `hashClientId` of the command's client order id. */
  clientHash = 0;
}
