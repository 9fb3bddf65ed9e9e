import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account, AccountPair } from './ledger.ts';
import type { PaperOrderStatus, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PaperOrder } from './paper-order.ts';
import type { WorkingOrder } from './working-order.ts';

const TYPES: readonly PaperOrderType[] = ['LIMIT', 'MARKET', 'STOP', 'STOP_LIMIT'];
const TIME_IN_FORCE: readonly PaperTimeInForce[] = ['GTC', 'IOC', 'FOK'];

// `shape` bits: flags, the type's and time in force's index, then the precision (0..18, 5 bits) of
// each submitted decimal; 28 bits in all, a small integer for V8.
const BUY = 1;
const POST_ONLY = 2;
const TRIGGERED = 4;
const BY_QUOTE = 8;
const TYPE_SHIFT = 4;
const TIF_SHIFT = 6;
const PRICE_SHIFT = 8;
const STOP_SHIFT = 13;
const QUANTITY_SHIFT = 18;
const QUOTE_SHIFT = 23;
const PRECISION_MASK = 31;

/**
 * What the engine keeps of a closed order while it stays findable (`OrderSlots`' windows of closed orders and
 * the account's client-id table): what its snapshot reports and nothing else, the command's decimals
 * as their raw integers with the precisions packed in one small integer. A working order has
 * ≈ 30 fields (book links, locks, matching state) and holds the command's Price and Quantity objects:
 * ≈ 490 bytes per closed order with them, against ≈ 290 for this record (`closed-order.test.ts`).
 * The working record goes back to the engine's free list when the order closes, and a record forgotten
 * by a full window is refilled for the next closed order, so steady-state trading allocates neither.
 * `snapshot()` is field for field what `orderSnapshot` gave for the working order.
 */
export class ClosedOrder {
  // Not readonly: refilled by `assign` when its window forgets it for a later closed order.
  id!: number;
  clientOrderId!: string;
  /** `hashClientId(clientOrderId)`, the key of the account's ClientIdTable. */
  clientHash!: number;
  pair!: AccountPair;
  /** A newer order of the account has taken over this order's client order id. */
  superseded!: boolean;
  status!: PaperOrderStatus;
  private shape!: number;
  /** Raw values of the submitted decimals (their precisions are in `shape`); undefined when not given. */
  private price!: bigint | undefined;
  private stop!: bigint | undefined;
  private quantity!: bigint | undefined;
  private quote!: bigint | undefined;
  /** As WorkingOrder's: filled raw at the step's precision, and Σ price × quantity kept as a price or a sum. */
  private filled!: bigint;
  private fillPrice!: bigint | null;
  private cumQuote!: bigint;
  // Number-initialised, as in WorkingOrder: kept as numbers written in place.
  private createdAt = 0;
  private updatedAt = 0;

  constructor(order: WorkingOrder) {
    this.assign(order);
  }

  /** Makes this record the given order, which has just closed (status and times final); writes every field. */
  assign(order: WorkingOrder): this {
    const price = order.priceObj;
    const stop = order.stopObj;
    const byQuote = order.isByQuote;
    const quantity = byQuote ? undefined : order.quantityObj;
    const quote = order.quoteObj;
    this.id = order.id;
    this.clientOrderId = order.clientOrderId;
    this.clientHash = order.clientHash;
    this.pair = order.pair;
    this.superseded = order.superseded;
    this.status = order.status;
    this.shape =
      (order.isBuy ? BUY : 0) |
      (order.postOnly ? POST_ONLY : 0) |
      (order.triggered ? TRIGGERED : 0) |
      (byQuote ? BY_QUOTE : 0) |
      (TYPES.indexOf(order.type) << TYPE_SHIFT) |
      (TIME_IN_FORCE.indexOf(order.timeInForce) << TIF_SHIFT) |
      ((price?.precision ?? 0) << PRICE_SHIFT) |
      ((stop?.precision ?? 0) << STOP_SHIFT) |
      ((quantity?.precision ?? 0) << QUANTITY_SHIFT) |
      ((quote?.precision ?? 0) << QUOTE_SHIFT);
    this.price = price?.raw;
    this.stop = stop?.raw;
    this.quantity = quantity?.raw;
    this.quote = quote?.raw;
    this.filled = order.filled;
    this.fillPrice = order.fillPrice;
    this.cumQuote = order.cumQuote;
    this.createdAt = order.createdAt;
    this.updatedAt = order.updatedAt;
    return this;
  }

  get account(): Account {
    return this.pair.account;
  }

  get instrument(): InstrumentState {
    return this.pair.instrument;
  }

  get orderId(): string {
    return String(this.id);
  }

  get isOpen(): false {
    return false;
  }

  private precision(shift: number): number {
    return (this.shape >>> shift) & PRECISION_MASK;
  }

  /** The order as `orderSnapshot` reported it when it closed. */
  snapshot(): PaperOrder {
    const instrument = this.pair.instrument;
    const rules = instrument.rules;
    const shape = this.shape;
    const byQuote = (shape & BY_QUOTE) !== 0;
    const filled = this.filled;
    const own =
      this.quantity === undefined
        ? undefined
        : Quantity.fromRaw(this.quantity, this.precision(QUANTITY_SHIFT));
    // As orderSnapshot: a filled order's filled quantity is its own Quantity when at the instrument's precision.
    const filledQuantity =
      filled === 0n
        ? instrument.zeroQuantity
        : !byQuote && own !== undefined && own.precision === rules.quantityPrecision && own.raw === filled
          ? own
          : Quantity.fromRaw(filled, rules.quantityPrecision);
    const single = this.fillPrice;
    const cumQuote = single === null ? this.cumQuote : filled === 0n ? 0n : single * filled;
    return {
      orderId: this.orderId,
      clientOrderId: this.clientOrderId,
      accountId: this.pair.account.id,
      instrumentId: rules.id,
      side: (shape & BUY) !== 0 ? 'BUY' : 'SELL',
      type: TYPES[(shape >>> TYPE_SHIFT) & 3] as PaperOrderType,
      timeInForce: TIME_IN_FORCE[(shape >>> TIF_SHIFT) & 3] as PaperTimeInForce,
      price: this.price === undefined ? undefined : Price.fromRaw(this.price, this.precision(PRICE_SHIFT)),
      stopPrice: this.stop === undefined ? undefined : Price.fromRaw(this.stop, this.precision(STOP_SHIFT)),
      // A buy by quote amount has bought exactly what it has filled.
      quantity: byQuote || own === undefined ? filledQuantity : own,
      quoteQuantity:
        this.quote === undefined ? undefined : FixedDecimal.fromRaw(this.quote, this.precision(QUOTE_SHIFT)),
      filledQuantity,
      cumulativeQuote:
        cumQuote === 0n ? instrument.zeroNotional : FixedDecimal.fromRaw(cumQuote, rules.notionalPrecision),
      status: this.status,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      postOnly: (shape & POST_ONLY) !== 0,
      triggered: (shape & TRIGGERED) !== 0,
    };
  }
}
