import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account, AccountPair, AssetBalance } from './ledger.ts';
import type { PaperOrderSide, PaperOrderStatus, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PriceLevel } from './order-book.ts';

/** What an accepted order needs, its prices already converted to the instrument's raw scale. */
export interface WorkingOrderInit {
  readonly id: number;
  readonly clientOrderId: string;
  readonly account: Account;
  readonly pair: AccountPair;
  readonly instrument: InstrumentState;
  readonly side: PaperOrderSide;
  readonly type: PaperOrderType;
  readonly timeInForce: PaperTimeInForce;
  readonly postOnly: boolean;
  readonly price: bigint;
  readonly priceObj: Price | undefined;
  readonly stopPrice: bigint;
  readonly stopObj: Price | undefined;
  readonly quantity: bigint;
  readonly quantityObj: Quantity;
  readonly quoteObj: FixedDecimal | undefined;
  readonly quoteRemaining: bigint;
  readonly time: number;
}

/**
 * The engine's mutable record of an accepted order. It never leaves the engine: callers get
 * immutable `PaperOrder` snapshots. It is also the node of its price level's FIFO queue.
 */
export class WorkingOrder {
  readonly id: number;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly account: Account;
  readonly pair: AccountPair;
  readonly instrument: InstrumentState;
  readonly isBuy: boolean;
  readonly side: PaperOrderSide;
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
  quantityObj: Quantity;
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
  readonly lockBalance: AssetBalance;
  level: PriceLevel | null = null;
  prev: WorkingOrder | null = null;
  next: WorkingOrder | null = null;
  /** Neighbours in the account's list of open orders. */
  accountPrev: WorkingOrder | null = null;
  accountNext: WorkingOrder | null = null;

  constructor(init: WorkingOrderInit) {
    this.id = init.id;
    this.orderId = String(init.id);
    this.clientOrderId = init.clientOrderId;
    this.account = init.account;
    this.pair = init.pair;
    this.instrument = init.instrument;
    this.isBuy = init.side === 'BUY';
    this.side = init.side;
    this.type = init.type;
    this.timeInForce = init.timeInForce;
    this.postOnly = init.postOnly;
    this.hasLimit = init.type === 'LIMIT' || init.type === 'STOP_LIMIT';
    this.price = init.price;
    this.priceObj = init.priceObj;
    this.stopPrice = init.stopPrice;
    this.stopObj = init.stopObj;
    this.quantity = init.quantity;
    this.quantityObj = init.quantityObj;
    this.quoteObj = init.quoteObj;
    this.quoteRemaining = init.quoteRemaining;
    this.createdAt = init.time;
    this.updatedAt = init.time;
    this.triggered = init.type !== 'STOP' && init.type !== 'STOP_LIMIT';
    this.lockBalance = this.isBuy ? init.pair.quote : init.pair.base;
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
