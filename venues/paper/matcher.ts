import { InternalError } from '../../domain/errors.ts';
import { FixedDecimal, Quantity } from '../../domain/values/index.ts';
import type { FeeRates } from './engine-options.ts';
import type { EventLog } from './event-log.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account, AssetBalance } from './ledger.ts';
import type { PaperOrderStatus } from './order-enums.ts';
import type { PriceLevel } from './order-book.ts';
import type { PaperFill } from './paper-order.ts';
import type { WorkingOrder } from './working-order.ts';

/** Why matching stopped. */
const Stop = {
  /** The order got all it wanted (or, buying by quote amount, cannot afford one more step). */
  DONE: 0,
  /** No more liquidity at an acceptable price. */
  EXHAUSTED: 1,
  /** The next resting order belongs to the same account (self-trade prevention expires the taker). */
  SELF_TRADE: 2,
} as const;
type Stop = (typeof Stop)[keyof typeof Stop];

/**
 * A fill's quantity as a `Quantity` at the instrument's precision. Most fills take a whole order, so
 * that order's own (immutable) Quantity is shared instead of a new one being built and checked.
 */
function fillQuantity(
  quantity: bigint,
  taker: WorkingOrder,
  maker: WorkingOrder,
  precision: number,
): Quantity {
  const own =
    quantity === taker.quantity
      ? taker.quantityObj
      : quantity === maker.quantity
        ? maker.quantityObj
        : undefined;
  // A buy by quote amount has no Quantity of its own (`quantityObj` is then undefined at run time).
  if (own !== undefined && own.precision === precision && own.raw === quantity) return own;
  return Quantity.fromRaw(quantity, precision);
}

/**
 * The matching core: takes liquidity for an incoming (or triggered) order, settles each fill
 * between the two accounts exactly, and rests what is left. It also carries the per-command state
 * (clock reading, change marks, whether events are being built) that the engine sets.
 */
export class Matcher {
  /**
   * The clock reading of the current command, set by the engine before each command. No initialiser
   * on purpose: a field that starts as a number is kept unboxed by V8, and each copy of it into an
   * order record (a tagged field) then allocates a new heap number that the record keeps alive (one
   * per stamp, ≈ 16 B, promoted with long-lived orders); a tagged field shares the clock's single heap
   * number among every record stamped in the command.
   */
  now!: number;
  mark = 0;
  tracking = false;
  readonly changedBalances: AssetBalance[] = [];
  /** The order being submitted, whose fills are collected in `sink` for the submit result. */
  sinkOrder: WorkingOrder | null = null;
  /** Created at the first fill of `sinkOrder`: most orders rest without one. */
  sink: PaperFill[] | null = null;
  /** Quote cost (raw at notional precision) of the quantity found by the last `walk`. */
  walkCost = 0n;
  private nextTradeId = 1;

  constructor(
    private readonly rates: FeeRates,
    private readonly events: EventLog,
    private readonly close: (order: WorkingOrder, status: PaperOrderStatus) => void,
  ) {}

  touch(balance: AssetBalance): void {
    if (this.tracking && balance.mark !== this.mark) {
      balance.mark = this.mark;
      this.changedBalances.push(balance);
    }
  }

  /**
   * How much of `quantity` the book could fill now for a taker of `account` on this side, within
   * `limit` when `hasLimit`, stopping where self-trade prevention would. Sets `walkCost`.
   */
  walk(
    instrument: InstrumentState,
    isBuy: boolean,
    account: Account | undefined,
    hasLimit: boolean,
    limit: bigint,
    quantity: bigint,
  ): bigint {
    const levels = isBuy ? instrument.book.asks.levels : instrument.book.bids.levels;
    const checkSelf = account !== undefined && (account.pairs[instrument.index]?.resting ?? 0) > 0;
    let remaining = quantity;
    let cost = 0n;
    outer: for (let i = levels.length - 1; i >= 0 && remaining > 0n; i--) {
      const level = levels[i] as PriceLevel;
      const price = level.price;
      if (hasLimit && (isBuy ? price > limit : price < limit)) break;
      if (!checkSelf) {
        const total = level.total;
        const take = total < remaining ? total : remaining;
        cost += take * price;
        remaining -= take;
        continue;
      }
      for (let o = level.head; o !== null && remaining > 0n; o = o.next) {
        if (o.account === account) break outer;
        const left = o.quantity - o.filled;
        const take = left < remaining ? left : remaining;
        cost += take * price;
        remaining -= take;
      }
    }
    this.walkCost = cost;
    return quantity - remaining;
  }

  /** Runs an order that is live now: a new MARKET/LIMIT order or a stop that has just triggered. */
  activate(order: WorkingOrder): void {
    const instrument = order.instrument;
    if (!order.triggered) {
      order.triggered = true;
      order.updatedAt = this.now;
      if (this.tracking) this.events.order(order, 'NEW', this.now);
      if (!this.prepareTriggered(order)) return;
    }
    const stop = this.match(order);
    if (order.isByQuote) {
      order.quantity = order.filled;
      this.finish(order, stop === Stop.DONE && order.filled > 0n ? 'FILLED' : 'EXPIRED');
      return;
    }
    if (order.filled === order.quantity) {
      this.finish(order, 'FILLED');
      return;
    }
    if (!order.hasLimit || stop === Stop.SELF_TRADE || order.timeInForce !== 'GTC') {
      this.finish(order, 'EXPIRED');
      return;
    }
    instrument.book.add(order, order.priceObj ?? instrument.rules.tickSize);
    order.pair.resting++;
  }

  /**
   * Checks a just-triggered stop against the book and balances (which may have changed since it was
   * placed); expires or rejects it when it cannot run. Returns whether it may match.
   */
  private prepareTriggered(order: WorkingOrder): boolean {
    const instrument = order.instrument;
    const opposite = order.isBuy ? instrument.book.asks : instrument.book.bids;
    if (!order.hasLimit && opposite.levels.length === 0) {
      this.finish(order, 'EXPIRED');
      return false;
    }
    if (order.timeInForce === 'FOK') {
      const fillable = this.walk(
        instrument,
        order.isBuy,
        order.account,
        order.hasLimit,
        order.price,
        order.quantity,
      );
      if (fillable < order.quantity) {
        this.finish(order, 'EXPIRED');
        return false;
      }
    }
    if (order.isBuy && !order.hasLimit && !order.isByQuote) {
      // A STOP buy by quantity is priced against the book as it is now and locked before matching.
      this.walk(instrument, true, order.account, false, 0n, order.quantity);
      const cost = this.walkCost * instrument.quoteMul;
      const balance = order.lockBalance;
      if (balance.freeSum.isBelow(cost)) {
        this.finish(order, 'REJECTED');
        return false;
      }
      balance.freeSum.subtract(cost);
      balance.lockedSum.add(cost);
      order.locked += cost;
      this.touch(balance);
    }
    return true;
  }

  private finish(order: WorkingOrder, status: PaperOrderStatus): void {
    this.close(order, status);
    if (!this.tracking) return;
    if (status !== 'FILLED') {
      this.events.order(order, status === 'REJECTED' ? 'REJECTED' : 'EXPIRED', this.now);
    } else if (order.isByQuote && !this.events.settleLastOrderEvent(order)) {
      // Filled by quote amount means it traded in this command, so its fill events are pending.
      throw new InternalError(`paper order ${order.orderId} filled by quote amount without a fill event`);
    }
  }

  /** Triggers the stops that the instrument's last trade has reached, repeatedly, until none are left to trigger. */
  runStops(instrument: InstrumentState): void {
    const stops = instrument.stops;
    while (stops.size > 0 && instrument.hasLastPrice) {
      const triggered = stops.takeTriggered(instrument.lastPrice);
      if (triggered.length === 0) return;
      for (const order of triggered) this.activate(order);
    }
  }

  private match(taker: WorkingOrder): Stop {
    const instrument = taker.instrument;
    const levels = taker.isBuy ? instrument.book.asks.levels : instrument.book.bids.levels;
    const byQuote = taker.byQuote;
    const stepRaw = instrument.rules.stepRaw;
    for (;;) {
      const level = levels[levels.length - 1];
      if (level === undefined) return Stop.EXHAUSTED;
      const price = level.price;
      if (taker.hasLimit && (taker.isBuy ? price > taker.price : price < taker.price)) return Stop.EXHAUSTED;
      let maker = level.head;
      while (maker !== null) {
        // One book, one instrument: the same pair means the same account.
        if (maker.pair === taker.pair) return Stop.SELF_TRADE;
        let quantity: bigint;
        if (byQuote) {
          quantity = taker.quoteRemaining / (price * instrument.quoteMul);
          if (stepRaw !== 1n) quantity -= quantity % stepRaw;
          if (quantity === 0n) return Stop.DONE;
        } else {
          quantity = taker.quantity - taker.filled;
        }
        const makerLeft = maker.quantity - maker.filled;
        if (makerLeft < quantity) quantity = makerLeft;
        const next = maker.next;
        this.fill(taker, maker, level, quantity);
        if (!byQuote && taker.filled === taker.quantity) return Stop.DONE;
        maker = next;
      }
    }
  }

  /** Settles one fill between `taker` and the resting `maker` at the level's price. */
  private fill(taker: WorkingOrder, maker: WorkingOrder, level: PriceLevel, quantity: bigint): void {
    const instrument = taker.instrument;
    const price = level.price;
    const notional = price * quantity;
    const spend = instrument.toQuoteLedger(notional);
    const delivered = instrument.toBaseLedger(quantity);
    const takerBuys = taker.isBuy;
    const buyer = takerBuys ? taker : maker;
    const seller = takerBuys ? maker : taker;
    const buyerRate = takerBuys ? this.rates.taker : this.rates.maker;
    const sellerRate = takerBuys ? this.rates.maker : this.rates.taker;

    // The buyer pays from its lock; a limit buy locked at its own price gets the difference back.
    const released =
      buyer.hasLimit && buyer.price !== price ? instrument.toQuoteLedger(buyer.price * quantity) : spend;
    const buyerQuote = buyer.pair.quote;
    buyerQuote.lockedSum.subtract(released);
    if (!buyer.locksRemaining) buyer.locked -= released;
    if (released !== spend) {
      buyerQuote.freeSum.add(released);
      buyerQuote.freeSum.subtract(spend);
    }
    if (buyer.byQuote) buyer.quoteRemaining -= spend;
    const baseFee = instrument.baseFee(quantity, buyerRate);
    const buyerBase = buyer.pair.base;
    buyerBase.freeSum.add(delivered);
    buyerBase.freeSum.subtract(baseFee);

    const sellerBase = seller.pair.base;
    // A seller's lock is its remaining quantity (`lockedFunds`): nothing to keep per order.
    sellerBase.lockedSum.subtract(delivered);
    const quoteFee = instrument.quoteFee(notional, sellerRate);
    const sellerQuote = seller.pair.quote;
    sellerQuote.freeSum.add(spend);
    sellerQuote.freeSum.subtract(quoteFee);
    instrument.baseAsset.fees.add(baseFee);
    instrument.quoteAsset.fees.add(quoteFee);

    const now = this.now;
    // A fill that completes an order stores the order's own quantity, and notionals are derived while
    // an order fills at one price: fewer new bigints kept in long-lived records (see README, Performance).
    maker.addFillNotional(price, notional);
    taker.addFillNotional(price, notional);
    const makerFilled = maker.filled === 0n ? quantity : maker.filled + quantity;
    maker.filled = makerFilled === maker.quantity ? maker.quantity : makerFilled;
    maker.updatedAt = now;
    maker.status = maker.filled === maker.quantity ? 'FILLED' : 'PARTIALLY_FILLED';
    const takerFilled = taker.filled === 0n ? quantity : taker.filled + quantity;
    taker.filled = takerFilled === taker.quantity ? taker.quantity : takerFilled;
    taker.updatedAt = now;
    taker.status = taker.filled === taker.quantity ? 'FILLED' : 'PARTIALLY_FILLED';
    instrument.book.traded(level, quantity);
    instrument.lastPrice = price;
    instrument.hasLastPrice = true;

    const tradeNumber = this.nextTradeId++;
    const tradeId = BigInt(tradeNumber);
    const rules = instrument.rules;
    const quantityObj = fillQuantity(quantity, taker, maker, rules.quantityPrecision);
    const takerFee = takerBuys ? baseFee : quoteFee;
    const takerAsset = takerBuys ? instrument.baseAsset : instrument.quoteAsset;
    const takerFill: PaperFill = {
      tradeId,
      orderId: taker.orderId,
      price: level.priceObj,
      quantity: quantityObj,
      fee: FixedDecimal.fromRaw(takerFee, takerAsset.precision),
      feeAsset: takerAsset.code,
      liquidity: 'TAKER',
      time: now,
    };
    if (taker === this.sinkOrder) {
      if (this.sink === null) this.sink = [takerFill];
      else this.sink.push(takerFill);
    }
    instrument.recordTrade(tradeNumber, level.priceObj, quantityObj, takerBuys, taker.id, maker.id, now);
    if (this.tracking) {
      this.touch(buyerQuote);
      this.touch(buyerBase);
      this.touch(sellerBase);
      this.touch(sellerQuote);
      const makerFee = takerBuys ? quoteFee : baseFee;
      const makerAsset = takerBuys ? instrument.quoteAsset : instrument.baseAsset;
      const makerFill: PaperFill = {
        tradeId,
        orderId: maker.orderId,
        price: level.priceObj,
        quantity: quantityObj,
        fee: FixedDecimal.fromRaw(makerFee, makerAsset.precision),
        feeAsset: makerAsset.code,
        liquidity: 'MAKER',
        time: now,
      };
      this.events.trade(taker, maker, takerFill, instrument.book.sequence);
      this.events.order(maker, 'TRADE', now, makerFill);
      this.events.order(taker, 'TRADE', now, takerFill);
    }
    if (maker.filled === maker.quantity) {
      instrument.book.removeFilled(maker);
      maker.pair.resting--;
      this.close(maker, 'FILLED');
    }
  }
}
