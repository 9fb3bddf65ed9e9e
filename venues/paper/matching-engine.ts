import { InvalidArgumentError } from '../../domain/errors.ts';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type {
  Balance,
  BookLevel,
  BookSnapshot,
  CancelResult,
  OrderRef,
  PaperTrade,
  SubmitOrder,
  SubmitResult,
} from './commands.ts';
import { feeRates, ledgerPrecisions, readClock } from './engine-options.ts';
import type { FeeRates, MatchingEngineOptions } from './engine-options.ts';
import type { EngineListener } from './engine-events.ts';
import { InsufficientFundsError, UnknownInstrumentError } from './errors.ts';
import { EventLog } from './event-log.ts';
import { InstrumentState } from './instrument-state.ts';
import { Account, AssetLedger, ledgerAmount } from './ledger.ts';
import { admit } from './admit-order.ts';
import { hashClientId } from './client-id-table.ts';
import { ClosedOrder } from './closed-order.ts';
import { Matcher } from './matcher.ts';
import { OrderSlots } from './order-slots.ts';
import type { PaperOrderStatus } from './order-enums.ts';
import { instrumentRules } from './paper-instrument.ts';
import type { InstrumentRules } from './paper-instrument.ts';
import type { PaperFill, PaperOrder } from './paper-order.ts';
import { Prng } from './prng.ts';
import { RejectReason } from './reject-reason.ts';
import { orderSnapshot } from './snapshots.ts';
import { checkShape, refuse, validateSubmit } from './validate-submit.ts';
import type { Refusal } from './validate-submit.ts';
import { OrderValues, WorkingOrder } from './working-order.ts';

const DEFAULT_RETAIN_CLOSED = 10_000;
const DEFAULT_RETAIN_BRIEF = 1_024;
const NO_FILLS: readonly PaperFill[] = Object.freeze([]);
const DEFAULT_RECENT_TRADES = 1_000;

function rejected(refusal: Refusal): SubmitResult {
  return { accepted: false, reason: refusal.reason, message: refusal.message };
}

/**
 * The paper venue: a price-time priority matching engine over any number of instruments, with
 * per-account balances, exact fees and an event stream. Pure and synchronous: time comes from the
 * injected clock, and the same commands in the same order always give the same results and events.
 *
 * Self-trade prevention: an incoming order that would match a resting order of its own account
 * stops there and its remainder expires (Binance EXPIRE_TAKER); fills before that point stand.
 */
export class MatchingEngine {
  /** Seeded from `options.seed`: for code built on the engine that needs reproducible randomness. */
  readonly random: Prng;
  private readonly instruments = new Map<string, InstrumentState>();
  private readonly instrumentList: InstrumentState[] = [];
  private readonly assets = new Map<string, AssetLedger>();
  private readonly accounts = new Map<string, Account>();
  /** Accounts whose closed orders go to the short retention window (`options.briefRetention`). */
  private readonly briefAccounts: ReadonlySet<string>;
  /** Open and recently closed orders by id. */
  private readonly orders: OrderSlots;
  private readonly rates: FeeRates;
  private readonly clock: () => number | bigint;
  private readonly events: EventLog;
  private readonly matcher: Matcher;
  private readonly values = new OrderValues();
  private trackingBooks = false;

  constructor(options: MatchingEngineOptions) {
    if (typeof options.clock !== 'function') throw new InvalidArgumentError('clock', 'must be a function');
    this.clock = options.clock;
    this.random = new Prng(options.seed ?? 0);
    this.rates = feeRates(options.makerFeeRate, options.takerFeeRate);
    const retain = options.retainClosedOrders ?? DEFAULT_RETAIN_CLOSED;
    if (!Number.isInteger(retain) || retain < 0) {
      throw new InvalidArgumentError('retainClosedOrders', 'must be a non-negative integer');
    }
    const brief = options.briefRetention;
    const retainBrief = brief?.closedOrders ?? DEFAULT_RETAIN_BRIEF;
    if (!Number.isInteger(retainBrief) || retainBrief < 0) {
      throw new InvalidArgumentError('briefRetention.closedOrders', 'must be a non-negative integer');
    }
    if (brief !== undefined && !Array.isArray(brief.accountIds)) {
      throw new InvalidArgumentError('briefRetention.accountIds', 'must be an array of account ids');
    }
    this.briefAccounts = new Set(brief?.accountIds ?? []);
    const onForget = options.onForget;
    if (onForget !== undefined && typeof onForget !== 'function') {
      throw new InvalidArgumentError('onForget', 'must be a function');
    }
    this.orders = new OrderSlots(retain, this.briefAccounts.size === 0 ? 0 : retainBrief, (order) => {
      const account = order.account;
      if (!order.superseded) account.byClientId.delete(order);
      if (onForget !== undefined && !account.briefRetention) {
        onForget({
          accountId: account.id,
          orderId: order.orderId,
          clientOrderId: order.clientOrderId,
          instrumentId: order.instrument.id,
        });
      }
    });
    const recentTrades = options.recentTradesLimit ?? DEFAULT_RECENT_TRADES;
    if (!Number.isInteger(recentTrades) || recentTrades < 0) {
      throw new InvalidArgumentError('recentTradesLimit', 'must be a non-negative integer');
    }
    if (!Array.isArray(options.instruments) || options.instruments.length === 0) {
      throw new InvalidArgumentError('instruments', 'at least one instrument is required');
    }
    const rules: InstrumentRules[] = options.instruments.map(instrumentRules);
    for (const [asset, precision] of ledgerPrecisions(rules, this.rates.precision)) {
      this.assets.set(asset, new AssetLedger(asset, precision));
    }
    for (const r of rules) {
      if (this.instruments.has(r.id)) throw new InvalidArgumentError('instruments', `duplicate id ${r.id}`);
      const state = new InstrumentState(
        this.instrumentList.length,
        r,
        this.assets.get(r.base) as AssetLedger,
        this.assets.get(r.quote) as AssetLedger,
        this.rates.precision,
        recentTrades,
      );
      this.instruments.set(r.id, state);
      this.instrumentList.push(state);
    }
    this.events = new EventLog(options.onListenerError);
    this.matcher = new Matcher(this.rates, this.events, (order, status) => this.close(order, status));
  }

  /** Adds funds to an account (created on first use). The amount must be positive and fit the asset's ledger precision. */
  deposit(accountId: string, asset: string, amount: FixedDecimal | string): void {
    const { ledger, raw } = ledgerAmount(this.assets, accountId, asset, amount);
    this.begin();
    const balance = this.account(accountId).balance(ledger);
    balance.freeSum.add(raw);
    this.matcher.touch(balance);
    this.end();
  }

  /** Removes free funds; throws InsufficientFundsError when the free balance is smaller. */
  withdraw(accountId: string, asset: string, amount: FixedDecimal | string): void {
    const { raw } = ledgerAmount(this.assets, accountId, asset, amount);
    const balance = this.accounts.get(accountId)?.balances.get(asset);
    if (balance === undefined || balance.freeSum.isBelow(raw)) {
      throw new InsufficientFundsError(
        accountId,
        asset,
        `withdrawal of ${String(amount)} ${asset} exceeds the free balance`,
      );
    }
    this.begin();
    balance.freeSum.subtract(raw);
    this.matcher.touch(balance);
    this.end();
  }

  submit(accountId: string, cmd: SubmitOrder): SubmitResult {
    const shape = checkShape(cmd);
    if (shape !== undefined) return rejected(shape);
    if (typeof accountId !== 'string' || accountId.length === 0) {
      return rejected(refuse(RejectReason.INVALID_ORDER, 'accountId must be a non-empty string'));
    }
    const instrument = this.instruments.get(cmd.instrumentId);
    if (instrument === undefined) {
      return rejected(
        refuse(RejectReason.UNKNOWN_INSTRUMENT, `unknown instrument ${JSON.stringify(cmd.instrumentId)}`),
      );
    }
    const valid = this.values;
    const refusal = validateSubmit(instrument, cmd, valid);
    if (refusal !== undefined) return rejected(refusal);
    let account = this.accounts.get(accountId);
    valid.clientHash = hashClientId(cmd.clientOrderId);
    const sameClientId = account?.byClientId.get(cmd.clientOrderId, valid.clientHash);
    if (sameClientId?.isOpen === true) {
      return rejected(
        refuse(
          RejectReason.DUPLICATE_CLIENT_ORDER_ID,
          `an open order already has clientOrderId ${cmd.clientOrderId}`,
        ),
      );
    }
    const lock = admit(instrument, cmd, valid, account, this.matcher);
    if (typeof lock !== 'bigint') return rejected(lock);
    const isBuy = cmd.side === 'BUY';

    this.begin();
    account ??= this.account(accountId);
    const id = this.orders.reserveId();
    const pair = account.pair(instrument);
    const order =
      this.orders.take()?.reuse(id, cmd, valid, pair, this.matcher.now) ??
      new WorkingOrder(id, cmd, valid, pair, this.matcher.now);
    this.orders.place(order);
    account.openCount++;
    // The map now names the new order; the old one must not remove it when it is forgotten.
    if (sameClientId !== undefined) sameClientId.superseded = true;
    account.byClientId.set(order);
    if (lock !== 0n) {
      const balance = order.lockBalance;
      balance.freeSum.subtract(lock);
      balance.lockedSum.add(lock);
      if (!order.locksRemaining) order.locked = lock;
      this.matcher.touch(balance);
    }
    if (this.matcher.tracking) this.events.order(order, 'NEW', this.matcher.now);
    this.matcher.sink = null;
    this.matcher.sinkOrder = order;
    if (order.triggered) this.matcher.activate(order);
    else if (
      instrument.hasLastPrice &&
      (isBuy ? instrument.lastPrice >= order.stopPrice : instrument.lastPrice <= order.stopPrice)
    ) {
      this.matcher.activate(order);
    } else instrument.stops.add(order);
    const fills = this.matcher.sink ?? NO_FILLS;
    this.matcher.sink = null;
    this.matcher.sinkOrder = null;
    this.matcher.runStops(instrument);
    const result: SubmitResult = { accepted: true, order: orderSnapshot(order), fills };
    this.end();
    return result;
  }

  cancel(accountId: string, ref: OrderRef, instrumentId: string): CancelResult {
    const order = this.find(accountId, ref, instrumentId);
    if (order === undefined) {
      return {
        cancelled: false,
        reason: 'UNKNOWN_ORDER',
        message: 'no such order for this account and instrument',
      };
    }
    if (order instanceof ClosedOrder || !order.isOpen) {
      return { cancelled: false, reason: 'ALREADY_CLOSED', message: `the order is already ${order.status}` };
    }
    this.begin();
    this.cancelOpen(order);
    const snapshot = orderSnapshot(order);
    this.end();
    return { cancelled: true, order: snapshot };
  }

  /** Cancels every open order (stops included) of the account on the instrument, oldest first. */
  cancelAll(accountId: string, instrumentId: string): PaperOrder[] {
    const account = this.accounts.get(accountId);
    if (account === undefined) return [];
    const targets = this.orders.openOf(account, instrumentId);
    if (targets.length === 0) return [];
    this.begin();
    const cancelled = targets.map((order) => {
      this.cancelOpen(order);
      return orderSnapshot(order);
    });
    this.end();
    return cancelled;
  }

  getOrder(accountId: string, ref: OrderRef, instrumentId?: string): PaperOrder | undefined {
    const order = this.find(accountId, ref, instrumentId);
    if (order === undefined) return undefined;
    return order instanceof ClosedOrder ? order.snapshot() : orderSnapshot(order);
  }

  /** Open orders (resting and untriggered stops), oldest first. */
  openOrders(accountId: string, instrumentId?: string): readonly PaperOrder[] {
    const account = this.accounts.get(accountId);
    if (account === undefined) return [];
    return this.orders.openOf(account, instrumentId).map(orderSnapshot);
  }

  /** Every asset the account has held, by asset code. */
  balances(accountId: string): readonly Balance[] {
    const account = this.accounts.get(accountId);
    if (account === undefined) return [];
    return [...account.balances.values()]
      .sort((a, b) => (a.asset.code < b.asset.code ? -1 : a.asset.code > b.asset.code ? 1 : 0))
      .map((b) => ({
        asset: b.asset.code,
        free: FixedDecimal.fromRaw(b.free, b.asset.precision),
        locked: FixedDecimal.fromRaw(b.locked, b.asset.precision),
      }));
  }

  /** Fees collected by the engine, per asset, by asset code. */
  fees(): readonly { readonly asset: string; readonly amount: FixedDecimal }[] {
    return [...this.assets.values()]
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((a) => ({ asset: a.code, amount: FixedDecimal.fromRaw(a.feesCollected, a.precision) }));
  }

  /** The L2 book, best levels first, at most `depth` levels per side. */
  book(instrumentId: string, depth = Number.POSITIVE_INFINITY): BookSnapshot {
    const instrument = this.instrument(instrumentId);
    const qp = instrument.rules.quantityPrecision;
    const side = (levels: readonly { priceObj: Price; total: bigint }[]): BookLevel[] => {
      const out: BookLevel[] = [];
      for (let i = levels.length - 1; i >= 0 && out.length < depth; i--) {
        const level = levels[i] as { priceObj: Price; total: bigint };
        out.push([level.priceObj, Quantity.fromRaw(level.total, qp)]);
      }
      return out;
    };
    const book = instrument.book;
    return { sequence: BigInt(book.sequence), bids: side(book.bids.levels), asks: side(book.asks.levels) };
  }

  /** The most recent trades of an instrument, oldest first (at most `recentTradesLimit`). */
  trades(instrumentId: string, limit = DEFAULT_RECENT_TRADES): readonly PaperTrade[] {
    return this.instrument(instrumentId).recentTrades(limit);
  }

  /** The price of the instrument's last trade, if it has traded. */
  lastPrice(instrumentId: string): Price | undefined {
    const instrument = this.instrument(instrumentId);
    if (!instrument.hasLastPrice) return undefined;
    return Price.fromRaw(instrument.lastPrice, instrument.rules.pricePrecision);
  }

  /** An instrument's rules as the engine applies them. */
  instrumentRules(instrumentId: string): InstrumentRules {
    return this.instrument(instrumentId).rules;
  }

  instrumentIds(): readonly string[] {
    return this.instrumentList.map((i) => i.id);
  }

  /** The decimals every balance of `asset` is kept at, or undefined for an asset no instrument uses. */
  assetPrecision(asset: string): number | undefined {
    return this.assets.get(asset)?.precision;
  }

  /** Registers a listener for every event from now on; returns the function that removes it. */
  subscribe(listener: EngineListener): () => void {
    if (typeof listener !== 'function') throw new InvalidArgumentError('listener', 'must be a function');
    return this.events.subscribe(listener);
  }

  private instrument(instrumentId: string): InstrumentState {
    const instrument = this.instruments.get(instrumentId);
    if (instrument === undefined) throw new UnknownInstrumentError(instrumentId);
    return instrument;
  }

  private account(accountId: string): Account {
    let account = this.accounts.get(accountId);
    if (account === undefined) {
      account = new Account(accountId, this.briefAccounts.has(accountId));
      this.accounts.set(accountId, account);
    }
    return account;
  }

  private find(
    accountId: string,
    ref: OrderRef,
    instrumentId: string | undefined,
  ): WorkingOrder | ClosedOrder | undefined {
    const account = this.accounts.get(accountId);
    if (account === undefined || typeof ref !== 'object' || ref === null) return undefined;
    let order: WorkingOrder | ClosedOrder | undefined;
    if (ref.orderId !== undefined) {
      if (typeof ref.orderId !== 'string') return undefined;
      order = this.orders.get(ref.orderId);
      if (order?.account !== account) return undefined;
      if (ref.clientOrderId !== undefined && order.clientOrderId !== ref.clientOrderId) return undefined;
    } else if (ref.clientOrderId !== undefined) {
      if (typeof ref.clientOrderId !== 'string') return undefined;
      order = account.byClientId.get(ref.clientOrderId, hashClientId(ref.clientOrderId));
    }
    if (order === undefined || (instrumentId !== undefined && order.instrument.id !== instrumentId))
      return undefined;
    return order;
  }

  private cancelOpen(order: WorkingOrder): void {
    const instrument = order.instrument;
    if (order.level !== null) {
      instrument.book.remove(order);
      order.pair.resting--;
    } else {
      instrument.stops.remove(order);
    }
    this.close(order, 'CANCELED');
    if (this.matcher.tracking) this.events.order(order, 'CANCELED', this.matcher.now);
  }

  /** Finishes an order: final status, leftover funds unlocked, kept for queries until it ages out. */
  private close(order: WorkingOrder, status: PaperOrderStatus): void {
    order.status = status;
    order.updatedAt = this.matcher.now;
    const locked = order.lockedFunds();
    if (locked !== 0n) {
      const balance = order.lockBalance;
      balance.lockedSum.subtract(locked);
      balance.freeSum.add(locked);
      order.locked = 0n;
      this.matcher.touch(balance);
    }
    const account = order.account;
    account.openCount--;
    const record = this.orders.closed(order);
    if (record === undefined) return;
    // The client id now names the closed record (an open order is never superseded: a client id is unique among open orders).
    if (order.superseded) record.superseded = true;
    else account.byClientId.set(record);
  }

  private begin(): void {
    const matcher = this.matcher;
    matcher.now = readClock(this.clock);
    matcher.mark++;
    const tracking = this.events.active;
    matcher.tracking = tracking;
    if (tracking !== this.trackingBooks) {
      this.trackingBooks = tracking;
      for (const instrument of this.instrumentList) instrument.book.tracking = tracking;
    }
  }

  private end(): void {
    const matcher = this.matcher;
    if (!matcher.tracking) return;
    const now = matcher.now;
    for (const balance of matcher.changedBalances) this.events.balance(balance, now);
    matcher.changedBalances.length = 0;
    for (const instrument of this.instrumentList) {
      if (instrument.book.changed.length > 0) this.events.book(instrument, now);
    }
    this.events.deliver();
  }
}
