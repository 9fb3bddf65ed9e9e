import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account, AccountPair, AssetBalance } from './ledger.ts';
import type { PaperOrderSide, PaperOrderStatus, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PriceLevel } from './order-book.ts';

/**
 * The engine's mutable record of an accepted order. It never leaves the engine: callers get
 * immutable `PaperOrder` snapshots. It is also the node of its price level's FIFO queue.
 */
export class WorkingOrder {
  readonly id: number;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly pair: AccountPair;
  readonly isBuy: boolean;
  readonly type: PaperOrderType;
  readonly timeInForce: PaperTimeInForce;
  readonly postOnly: boolean;
  /** LIMIT and STOP_LIMIT: matches only at `price` or better. */
  readonly hasLimit: boolean;
  /** Raw at the tick's precision; 0n without a limit. */
  readonly price: bigint;
  readonly priceObj: Price | undefined;
  readonly stopPrice: bigint;
  readonly stopObj: Price | undefined;
  /** Raw at the step's precision; for a buy by quote amount it follows `filled`. */
  quantity: bigint;
  readonly quantityObj: Quantity;
  readonly quoteObj: FixedDecimal | undefined;
  /** Buy by quote amount: quote still to spend, raw at the quote asset's ledger precision; else -1n. */
  quoteRemaining: bigint;
  filled = 0n;
  /** Σ price × quantity, raw at the notional precision. */
  cumQuote = 0n;
  status: PaperOrderStatus = 'NEW';
  readonly createdAt: number;
  updatedAt: number;
  triggered: boolean;
  /** Funds still locked for this order, raw at the ledger precision of `lockBalance`'s asset. */
  locked = 0n;
  level: PriceLevel | null = null;
  prev: WorkingOrder | null = null;
  next: WorkingOrder | null = null;
  /** A newer order of the account has taken over this order's client order id. */
  superseded = false;

  /** `values` holds the command's prices and quantities already checked and at the instrument's scale. */
  constructor(id: number, cmd: SubmitOrder, values: OrderValues, pair: AccountPair, time: number) {
    const type = cmd.type;
    this.id = id;
    this.orderId = String(id);
    this.clientOrderId = cmd.clientOrderId;
    this.pair = pair;
    this.isBuy = cmd.side === 'BUY';
    this.type = type;
    this.timeInForce = cmd.timeInForce;
    this.postOnly = cmd.postOnly === true;
    this.hasLimit = type === 'LIMIT' || type === 'STOP_LIMIT';
    this.price = values.price;
    this.priceObj = cmd.price;
    this.stopPrice = values.stopPrice;
    this.stopObj = cmd.stopPrice;
    this.quantity = values.quantity;
    this.quantityObj = cmd.quantity;
    this.quoteObj = cmd.quoteQuantity;
    this.quoteRemaining = values.quoteRemaining;
    this.createdAt = time;
    this.updatedAt = time;
    this.triggered = type !== 'STOP' && type !== 'STOP_LIMIT';
  }

  // Derived from `pair` rather than stored: a smaller record per order means less for the collector to copy.
  get account(): Account {
    return this.pair.account;
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

  get isOpen(): boolean {
    return this.status === 'NEW' || this.status === 'PARTIALLY_FILLED';
  }

  get isByQuote(): boolean {
    return this.quoteRemaining >= 0n;
  }
}

/** A command's checked values at the instrument's raw scale; one instance is reused for every submit. */
export class OrderValues {
  /** At tick precision; 0n when the type has no limit price. */
  price = 0n;
  stopPrice = 0n;
  /** At step precision; 0n for a buy by quote amount. */
  quantity = 0n;
  /** At the quote asset's ledger precision; -1n unless buying by quote amount. */
  quoteRemaining = -1n;
}
