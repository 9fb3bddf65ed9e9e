import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../domain/errors.ts';
import {
  OrderStatus,
  OrderType,
  TimeInForce,
  parseClientOrderId,
  parseInstrumentId,
  parseTradeId,
  parseVenueId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { Instrument, InstrumentId, OrderRequest, OrderSide, VenueId } from '../../domain/index.ts';
import { Money } from '../../domain/values/index.ts';
import type { FixedDecimal } from '../../domain/values/index.ts';
import type { Logger } from '../../observability/index.ts';
import type {
  BookLevel,
  BookSnapshot,
  MarketDataEvent,
  PlacementResult,
  Unsubscribe,
  VenueBalance,
  VenueCapabilities,
  VenueConnector,
  VenueExecutionEvent,
  VenueFill,
  VenueOrderRef,
  VenueOrderSnapshot,
} from '../venue-connector.ts';
import type {
  BookLevel as PaperBookLevel,
  EngineEvent,
  MarketDataGenerator,
  MatchingEngine,
  PaperFill,
  PaperOrder,
  PaperOrderStatus,
} from './index.ts';

export interface PaperGeneration {
  readonly generators: readonly MarketDataGenerator[];
  /** Generator actions per instrument per tick. */
  readonly actionsPerTick: number;
  readonly tickMs: number;
}

export interface PaperConnectorOptions {
  /** The engine, built over `instruments` (domain instruments of the paper venue). */
  readonly engine: MatchingEngine;
  readonly instruments: readonly Instrument[];
  /** The engine account this connector trades as. */
  readonly accountId: string;
  readonly logger: Logger;
  /** Background flow that moves the market (driven by a timer between `start` and `close`). */
  readonly generation?: PaperGeneration;
  /**
   * How many closed orders' fills are kept for `orderFills` (the oldest closed forgotten first; an
   * open order's fills are kept until it closes). Default 10,000, the engine's default window of
   * closed orders (`retainClosedOrders`): past it `orderFills` has no order to answer for anyway.
   */
  readonly retainFillsOfOrders?: number;
}

const CAPABILITIES: VenueCapabilities = Object.freeze({
  orderTypes: Object.freeze([OrderType.MARKET, OrderType.LIMIT, OrderType.STOP, OrderType.STOP_LIMIT]),
  timeInForce: Object.freeze([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]),
  postOnly: true,
  reduceOnly: false,
});

const DEFAULT_RETAIN_FILLS_OF_ORDERS = 10_000;

const CLOSED: ReadonlySet<PaperOrderStatus> = new Set<PaperOrderStatus>([
  'FILLED',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
]);

const STATUS: Record<PaperOrderStatus, OrderStatus> = {
  NEW: OrderStatus.ACKNOWLEDGED,
  PARTIALLY_FILLED: OrderStatus.PARTIALLY_FILLED,
  FILLED: OrderStatus.FILLED,
  CANCELED: OrderStatus.CANCELLED,
  REJECTED: OrderStatus.REJECTED,
  EXPIRED: OrderStatus.EXPIRED,
};

/**
 * The paper venue behind the venue-neutral contract: the in-process MatchingEngine (through its
 * public API only), optionally moved by MarketDataGenerators on a timer. Synchronous underneath, so
 * market data has no gaps: a subscriber gets the engine's book, then every book event as a delta.
 */
export class PaperConnector implements VenueConnector {
  readonly venue: VenueId = parseVenueId('paper');
  readonly capabilities = CAPABILITIES;
  readonly #o: PaperConnectorOptions;
  readonly #instruments: ReadonlyMap<string, Instrument>;
  readonly #logger: Logger;
  readonly #executionListeners = new Set<(event: VenueExecutionEvent) => void>();
  /** Fills per order id: every open order with fills, and the newest closed ones. */
  readonly #fills = new Map<string, VenueFill[]>();
  /** Closed orders in #fills, oldest closed first. */
  readonly #closedWithFills = new Set<string>();
  #unsubscribeEngine: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: PaperConnectorOptions) {
    this.#o = options;
    this.#instruments = new Map(options.instruments.map((i) => [i.id, i]));
    this.#logger = options.logger.child({ component: 'paper-connector', account: options.accountId });
    for (const id of this.#instruments.keys()) options.engine.instrumentRules(id);
  }

  start(): Promise<void> {
    this.#unsubscribeEngine ??= this.#o.engine.subscribe((event) => this.#onEngineEvent(event));
    const generation = this.#o.generation;
    if (generation !== undefined && this.#timer === undefined) {
      this.#timer = setInterval(() => {
        for (const generator of generation.generators) generator.step(generation.actionsPerTick);
      }, generation.tickMs);
      this.#timer.unref();
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribeEngine?.();
    this.#unsubscribeEngine = undefined;
    return Promise.resolve();
  }

  instruments(): readonly Instrument[] {
    return [...this.#instruments.values()];
  }

  placeOrder(request: OrderRequest): Promise<PlacementResult> {
    return settle(() => {
      const instrument = this.#instrument(request.instrumentId);
      if (request.reduceOnly === true) {
        throw new InvalidArgumentError('reduceOnly', 'the paper venue has no reduce-only orders');
      }
      const timeInForce = request.timeInForce;
      if (
        timeInForce !== TimeInForce.GTC &&
        timeInForce !== TimeInForce.IOC &&
        timeInForce !== TimeInForce.FOK
      ) {
        throw new InvalidArgumentError('timeInForce', `${timeInForce} is not offered by the paper venue`);
      }
      const engine = this.#o.engine;
      // At most once per client order id: a retried placement finds the order it already made.
      const existing = engine.getOrder(
        this.#o.accountId,
        { clientOrderId: request.clientOrderId },
        instrument.id,
      );
      if (existing !== undefined) {
        return {
          kind: 'accepted',
          order: snapshotOf(existing),
          fills: this.#fillsOf(existing.orderId),
        };
      }
      const result = engine.submit(this.#o.accountId, {
        clientOrderId: request.clientOrderId,
        instrumentId: instrument.id,
        side: request.side,
        type: request.type,
        timeInForce,
        quantity: request.quantity,
        price: request.price,
        stopPrice: request.stopPrice,
        postOnly: request.postOnly,
      });
      if (!result.accepted) {
        return {
          kind: 'rejected',
          clientOrderId: request.clientOrderId,
          reason: `${result.reason}: ${result.message}`,
        };
      }
      const order = result.order;
      return {
        kind: 'accepted',
        order: snapshotOf(order),
        fills: result.fills.map((fill) => fillOf(order, fill)),
      };
    });
  }

  cancelOrder(ref: VenueOrderRef): Promise<VenueOrderSnapshot> {
    return settle(() => {
      this.#instrument(ref.instrumentId);
      const result = this.#o.engine.cancel(this.#o.accountId, paperRef(ref), ref.instrumentId);
      if (result.cancelled) return snapshotOf(result.order);
      if (result.reason === 'UNKNOWN_ORDER') {
        throw new NotFoundError(`order ${ref.clientOrderId} is unknown to the paper venue`);
      }
      throw new FailedPreconditionError(`order ${ref.clientOrderId} cannot be cancelled: ${result.message}`);
    });
  }

  getOrder(ref: VenueOrderRef): Promise<VenueOrderSnapshot | undefined> {
    return settle(() => {
      this.#instrument(ref.instrumentId);
      const order = this.#o.engine.getOrder(this.#o.accountId, paperRef(ref), ref.instrumentId);
      return order === undefined ? undefined : snapshotOf(order);
    });
  }

  openOrders(instrumentId?: InstrumentId): Promise<readonly VenueOrderSnapshot[]> {
    return settle(() => {
      if (instrumentId !== undefined) this.#instrument(instrumentId);
      return this.#o.engine.openOrders(this.#o.accountId, instrumentId).map(snapshotOf);
    });
  }

  orderFills(ref: VenueOrderRef): Promise<readonly VenueFill[]> {
    return settle(() => {
      this.#instrument(ref.instrumentId);
      const order = this.#o.engine.getOrder(this.#o.accountId, paperRef(ref), ref.instrumentId);
      return order === undefined ? [] : this.#fillsOf(order.orderId);
    });
  }

  balances(): Promise<readonly VenueBalance[]> {
    return settle(() => {
      return this.#o.engine.balances(this.#o.accountId).map((b) => ({
        asset: b.asset,
        total: money(b.free.add(b.locked), b.asset),
        available: money(b.free, b.asset),
        locked: money(b.locked, b.asset),
      }));
    });
  }

  bookSnapshot(instrumentId: InstrumentId, depth: number): Promise<BookSnapshot> {
    return settle(() => {
      this.#instrument(instrumentId);
      if (!Number.isInteger(depth) || depth < 1)
        throw new InvalidArgumentError('depth', 'must be a positive integer');
      return this.#snapshot(instrumentId, depth);
    });
  }

  onExecution(listener: (event: VenueExecutionEvent) => void): Unsubscribe {
    this.#executionListeners.add(listener);
    return () => this.#executionListeners.delete(listener);
  }

  subscribeMarketData(instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): Unsubscribe {
    this.#instrument(instrumentId);
    const deliver = (event: MarketDataEvent): void => {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, instrumentId, kind: event.kind }, 'market data listener threw');
      }
    };
    // Synchronous engine: nothing can change between the snapshot and the subscription.
    deliver({ kind: 'snapshot', book: this.#snapshot(instrumentId, Number.POSITIVE_INFINITY) });
    return this.#o.engine.subscribe((event) => {
      if (event.kind === 'book' && event.instrumentId === instrumentId) {
        deliver({
          kind: 'delta',
          delta: {
            instrumentId,
            sequence: Number(event.lastSequence),
            bids: event.bids.map(level),
            asks: event.asks.map(level),
            timestamp: event.time,
          },
        });
      } else if (event.kind === 'trade' && event.instrumentId === instrumentId) {
        deliver({
          kind: 'trade',
          trade: {
            instrumentId,
            tradeId: String(event.tradeId),
            price: event.price,
            quantity: event.quantity,
            aggressorSide: event.takerSide,
            timestamp: event.time,
          },
        });
      }
    });
  }

  #snapshot(instrumentId: InstrumentId, depth: number): BookSnapshot {
    const book = this.#o.engine.book(instrumentId, depth);
    return {
      instrumentId,
      sequence: Number(book.sequence),
      bids: book.bids.map(level),
      asks: book.asks.map(level),
      timestamp: Date.now(),
    };
  }

  #instrument(instrumentId: InstrumentId): Instrument {
    const instrument = this.#instruments.get(instrumentId);
    if (instrument === undefined) {
      throw new InvalidArgumentError('instrumentId', `${instrumentId} is not traded on this paper venue`);
    }
    return instrument;
  }

  #fillsOf(orderId: string): VenueFill[] {
    return [...(this.#fills.get(orderId) ?? [])];
  }

  #onEngineEvent(event: EngineEvent): void {
    if (event.kind !== 'order' || event.accountId !== this.#o.accountId) return;
    const order = event.order;
    const fill = event.fill === undefined ? undefined : fillOf(order, event.fill);
    if (fill !== undefined) {
      const list = this.#fills.get(order.orderId);
      if (list === undefined) this.#fills.set(order.orderId, [fill]);
      else list.push(fill);
    }
    if (CLOSED.has(order.status) && this.#fills.has(order.orderId)) this.#closed(order.orderId);
    // The fill before the order state that includes it: an order manager seeing a filled quantity
    // beyond its fills would ask the venue for the order and its fills, for the fill that follows.
    if (fill !== undefined) this.#emit({ kind: 'fill', fill });
    this.#emit({ kind: 'order', order: snapshotOf(order) });
  }

  /** Moves a closed order's fills to the window of closed orders, forgetting the oldest beyond it. */
  #closed(orderId: string): void {
    if (this.#closedWithFills.has(orderId)) return;
    this.#closedWithFills.add(orderId);
    const limit = this.#o.retainFillsOfOrders ?? DEFAULT_RETAIN_FILLS_OF_ORDERS;
    if (this.#closedWithFills.size <= limit) return;
    const oldest = this.#closedWithFills.values().next();
    if (oldest.done === true) return;
    this.#closedWithFills.delete(oldest.value);
    this.#fills.delete(oldest.value);
  }

  /** Orders whose fills are kept now (open orders with fills, and the closed ones' window). */
  get ordersWithFills(): number {
    return this.#fills.size;
  }

  #emit(event: VenueExecutionEvent): void {
    for (const listener of this.#executionListeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, kind: event.kind }, 'execution listener threw');
      }
    }
  }
}

/** The engine answers synchronously; a thrown error still reaches the caller as a rejection. */
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function level([price, quantity]: PaperBookLevel): BookLevel {
  return { price, quantity };
}

function paperRef(ref: VenueOrderRef): { orderId?: string; clientOrderId: string } {
  return ref.venueOrderId === undefined
    ? { clientOrderId: ref.clientOrderId }
    : { orderId: ref.venueOrderId, clientOrderId: ref.clientOrderId };
}

function money(amount: FixedDecimal, asset: string): Money {
  return Money.fromRaw(amount.raw, amount.precision, asset);
}

function snapshotOf(order: PaperOrder): VenueOrderSnapshot {
  return {
    instrumentId: parseInstrumentId(order.instrumentId),
    clientOrderId: parseClientOrderId(order.clientOrderId),
    venueOrderId: parseVenueOrderId(order.orderId),
    side: order.side,
    type: order.type,
    status: STATUS[order.status],
    quantity: order.quantity,
    filledQuantity: order.filledQuantity,
    ...(order.price === undefined ? {} : { price: order.price }),
    ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice }),
    updatedAt: order.updatedAt,
  };
}

function fillOf(order: PaperOrder, fill: PaperFill): VenueFill {
  const side: OrderSide = order.side;
  return {
    instrumentId: parseInstrumentId(order.instrumentId),
    clientOrderId: parseClientOrderId(order.clientOrderId),
    venueOrderId: parseVenueOrderId(order.orderId),
    tradeId: parseTradeId(String(fill.tradeId)),
    side,
    price: fill.price,
    quantity: fill.quantity,
    fee: money(fill.fee, fill.feeAsset),
    liquidity: fill.liquidity,
    timestamp: fill.time,
  };
}
