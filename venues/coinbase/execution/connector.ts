import { FailedPreconditionError, InvalidArgumentError, UnavailableError } from '../../../domain/errors.ts';
import { Venues, parseInstrumentIdParts } from '../../../domain/identifiers/index.ts';
import type {
  ClientOrderId,
  InstrumentId,
  VenueId,
  VenueOrderId,
} from '../../../domain/identifiers/index.ts';
import type { Instrument } from '../../../domain/instruments/index.ts';
import { OrderType, TimeInForce } from '../../../domain/orders/index.ts';
import type { OrderRequest } from '../../../domain/orders/index.ts';
import { Money } from '../../../domain/values/index.ts';
import type { Logger, MetricsRegistry } from '../../../observability/index.ts';
import type {
  BookSnapshot,
  CallOptions,
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
} from '../../venue-connector.ts';
import { DEFAULT_COINBASE_CONFIG } from '../config.ts';
import type { CoinbaseConfig } from '../config.ts';
import type { CoinbaseCredentials } from '../common/credentials.ts';
import { CancelFailureReason, CoinbaseOrderStatus } from '../common/enums.ts';
import { coinbaseMetrics } from '../common/metrics.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import { toInstrument } from '../common/parse-product.ts';
import { MarketDataFeed } from '../data/market-data-feed.ts';
import { CoinbaseNotFoundError } from '../http/error.ts';
import type { CoinbaseOrder } from '../http/models.ts';
import { findByClientOrderId, placeOrderSafely } from '../http/order-safety.ts';
import { CoinbaseRestClient } from '../http/rest-client.ts';
import type { CallContext } from '../http/rest-client.ts';
import { toCreateOrder, toFill, toSnapshot } from './order-mapping.ts';
import { UserStream } from './user-stream.ts';

export interface CoinbaseConnectorOptions {
  readonly config: Partial<CoinbaseConfig> & Pick<CoinbaseConfig, 'urls'>;
  readonly credentials: CoinbaseCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Products to trade (e.g. BTC-USD); default: every product the venue lists. */
  readonly products?: readonly string[];
  /** How long start() waits for the user stream to be subscribed. */
  readonly startTimeoutMs?: number;
  readonly now?: () => number;
  /**
   * Venue order ids remembered by client order id (default 4,096, the newest remembered kept): an
   * order not among them is found by a lookup by client order id, as after a restart.
   */
  readonly venueIdsKept?: number;
}

/** How far back a lookup by client order id searches when the order's venue id is not known. */
const LOOKBACK_MS = 7 * 24 * 60 * 60_000;
const DEFAULT_VENUE_IDS_KEPT = 4_096;

/**
 * Coinbase Advanced Trade behind the venue-neutral contract: instruments from products, placement that
 * never duplicates (query by client_order_id after an unknown outcome), cancels by batch_cancel, the
 * user channel as execution events (fills fetched when an order's filled size grows), and level2 +
 * market_trades as market-data events.
 */
export class CoinbaseConnector implements VenueConnector {
  readonly venue: VenueId = Venues.COINBASE;
  readonly capabilities: VenueCapabilities = {
    orderTypes: [OrderType.MARKET, OrderType.LIMIT, OrderType.STOP_LIMIT],
    timeInForce: [TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK],
    postOnly: true,
    reduceOnly: false,
  };
  readonly rest: CoinbaseRestClient;
  readonly metrics: CoinbaseMetrics;
  readonly config: CoinbaseConfig;
  readonly #o: CoinbaseConnectorOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #instruments = new Map<string, Instrument>();
  /**
   * Venue order ids of the orders this connector placed or looked up most recently, by client order
   * id, oldest first (bounded by `venueIdsKept`; it had no bound until session 12: one entry per
   * order placed, for the life of the process).
   */
  readonly #venueIds = new Map<string, VenueOrderId>();
  readonly #venueIdsKept: number;
  readonly #feed: MarketDataFeed;
  readonly #user: UserStream;

  constructor(options: CoinbaseConnectorOptions) {
    this.#o = options;
    this.config = { ...DEFAULT_COINBASE_CONFIG, ...options.config };
    this.#logger = options.logger.child({ component: 'coinbase-connector' });
    this.#now = options.now ?? Date.now;
    this.#venueIdsKept = options.venueIdsKept ?? DEFAULT_VENUE_IDS_KEPT;
    if (!Number.isInteger(this.#venueIdsKept) || this.#venueIdsKept < 1) {
      throw new InvalidArgumentError('venueIdsKept', `must be an integer >= 1, got ${options.venueIdsKept}`);
    }
    this.rest = new CoinbaseRestClient({
      config: this.config,
      credentials: options.credentials,
      logger: options.logger,
      metrics: options.metrics,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.metrics = coinbaseMetrics(options.metrics);
    this.#feed = new MarketDataFeed({
      config: this.config,
      credentials: options.credentials,
      logger: options.logger,
      metrics: this.metrics,
    });
    this.#user = new UserStream({
      config: this.config,
      credentials: options.credentials,
      logger: options.logger,
      metrics: this.metrics,
      fills: (productId, orderId, clientOrderId) => this.#fills(productId, orderId, clientOrderId, {}),
      now: this.#now,
    });
  }

  /** Orders the user stream remembers now (live ones and recently finished ones). */
  get userStreamOrders(): number {
    return this.#user.seenOrders;
  }

  async start(): Promise<void> {
    const wanted = this.#o.products;
    const products =
      wanted === undefined
        ? await this.rest.products()
        : await Promise.all(wanted.map((p) => this.rest.product(p)));
    for (const product of products) {
      try {
        const instrument = toInstrument(product);
        this.#instruments.set(product.productId, instrument);
      } catch (error) {
        this.metrics.malformedPayloads.inc({ kind: 'product' });
        this.#logger.warn(
          { err: error, productId: product.productId },
          'product cannot be traded exactly; skipped',
        );
      }
    }
    await this.#user.start(this.#o.startTimeoutMs ?? 10_000);
  }

  async close(): Promise<void> {
    await Promise.all([this.#user.close(), this.#feed.close()]);
  }

  instruments(): readonly Instrument[] {
    return [...this.#instruments.values()];
  }

  async placeOrder(request: OrderRequest, options: CallOptions = {}): Promise<PlacementResult> {
    const productId = this.#productOf(request.instrumentId);
    const order = toCreateOrder(request, productId);
    const context = ctx(options);
    const placement = await placeOrderSafely(this.rest, order, {
      logger: this.#logger,
      metrics: this.metrics,
      context,
      queries: this.config.unknownOutcomeQueries,
      queryDelayMs: this.config.unknownOutcomeQueryDelayMs,
      since: this.#now() - 60_000,
    });
    let venueOrder: CoinbaseOrder;
    if (placement.outcome === 'answered') {
      const response = placement.response;
      if (!response.success) {
        this.metrics.orders.inc({ outcome: 'rejected' });
        this.#logger.info(
          { clientOrderId: request.clientOrderId, reason: response.reason, message: response.message },
          'Coinbase rejected the order',
        );
        return { kind: 'rejected', clientOrderId: request.clientOrderId, reason: response.reason };
      }
      this.metrics.orders.inc({ outcome: 'accepted' });
      venueOrder = await this.rest.getOrder(response.orderId, context);
    } else {
      venueOrder = placement.order;
    }
    this.#rememberVenueId(request.clientOrderId, venueOrder.orderId as VenueOrderId);
    const snapshot = toSnapshot(venueOrder, request.clientOrderId);
    const fills = venueOrder.filledSize.isPositive()
      ? await this.#fills(productId, venueOrder.orderId, request.clientOrderId, context)
      : [];
    return { kind: 'accepted', order: snapshot, fills };
  }

  async cancelOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot> {
    const context = ctx(options);
    const orderId = await this.#resolve(ref, context);
    if (orderId === undefined) {
      throw new CoinbaseNotFoundError({
        httpStatus: undefined,
        venueCode: 'NOT_FOUND',
        venueMessage: `no order with client_order_id ${ref.clientOrderId}`,
      });
    }
    const [result] = await this.rest.cancelOrders([orderId], context);
    if (result === undefined) throw new UnavailableError('batch_cancel answered without a result');
    if (!result.success) {
      if (result.failureReason === CancelFailureReason.UNKNOWN_CANCEL_ORDER) {
        throw new CoinbaseNotFoundError({
          httpStatus: 200,
          venueCode: result.failureReason,
          venueMessage: `cancel of ${orderId} refused`,
        });
      }
      throw new FailedPreconditionError(`Coinbase refused to cancel ${orderId}: ${result.failureReason}`, {
        details: { orderId, failureReason: result.failureReason },
      });
    }
    return toSnapshot(await this.rest.getOrder(orderId, context), ref.clientOrderId);
  }

  async getOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot | undefined> {
    const context = ctx(options);
    if (ref.venueOrderId === undefined && !this.#venueIds.has(ref.clientOrderId)) {
      const found = await this.#lookup(ref, context);
      return found === undefined ? undefined : toSnapshot(found, ref.clientOrderId);
    }
    const orderId = (ref.venueOrderId ?? this.#venueIds.get(ref.clientOrderId)) as string;
    try {
      return toSnapshot(await this.rest.getOrder(orderId, context), ref.clientOrderId);
    } catch (error) {
      if (error instanceof CoinbaseNotFoundError) return undefined;
      throw error;
    }
  }

  async openOrders(
    instrumentId?: InstrumentId,
    options: CallOptions = {},
  ): Promise<readonly VenueOrderSnapshot[]> {
    const context = ctx(options);
    const productIds = instrumentId === undefined ? [] : [this.#productOf(instrumentId)];
    const out: VenueOrderSnapshot[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.rest.listOrders(
        {
          productIds,
          orderStatus: [CoinbaseOrderStatus.OPEN],
          limit: 250,
          ...(cursor === undefined ? {} : { cursor }),
        },
        context,
      );
      for (const o of result.orders) out.push(toSnapshot(o));
      if (!result.hasNext || result.cursor.length === 0) break;
      cursor = result.cursor;
    }
    return out;
  }

  async orderFills(ref: VenueOrderRef, options: CallOptions = {}): Promise<readonly VenueFill[]> {
    const context = ctx(options);
    const orderId = await this.#resolve(ref, context);
    if (orderId === undefined) return [];
    return this.#fills(this.#productOf(ref.instrumentId), orderId, ref.clientOrderId, context);
  }

  async balances(options: CallOptions = {}): Promise<readonly VenueBalance[]> {
    const context = ctx(options);
    const out: VenueBalance[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.rest.accounts(cursor, context);
      for (const a of result.accounts) {
        const available = Money.fromRaw(a.available.raw, a.available.precision, a.currency);
        const locked = Money.fromRaw(a.hold.raw, a.hold.precision, a.currency);
        out.push({ asset: a.currency, total: available.add(locked), available, locked });
      }
      if (!result.hasNext || result.cursor.length === 0) break;
      cursor = result.cursor;
    }
    return out;
  }

  async bookSnapshot(
    instrumentId: InstrumentId,
    depth: number,
    options: CallOptions = {},
  ): Promise<BookSnapshot> {
    const book = await this.rest.productBook(this.#productOf(instrumentId), depth, ctx(options));
    return {
      instrumentId,
      // The REST book carries no version; its time orders snapshots of one product.
      sequence: book.time,
      bids: book.bids.map((l) => ({ price: l.price, quantity: l.size })),
      asks: book.asks.map((l) => ({ price: l.price, quantity: l.size })),
      timestamp: book.time,
    };
  }

  onExecution(listener: (event: VenueExecutionEvent) => void): Unsubscribe {
    return this.#user.onEvent(listener);
  }

  subscribeMarketData(instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): Unsubscribe {
    return this.#feed.subscribe(this.#productOf(instrumentId), listener);
  }

  #productOf(instrumentId: InstrumentId): string {
    const parts = parseInstrumentIdParts(instrumentId);
    if (parts.venue !== Venues.COINBASE) {
      throw new InvalidArgumentError('instrumentId', `${instrumentId} is not a Coinbase instrument`);
    }
    if (this.#instruments.size > 0 && !this.#instruments.has(parts.symbol)) {
      throw new InvalidArgumentError('instrumentId', `${instrumentId} is not a loaded Coinbase product`);
    }
    return parts.symbol;
  }

  async #lookup(ref: VenueOrderRef, context: CallContext): Promise<CoinbaseOrder | undefined> {
    const found = await findByClientOrderId(
      this.rest,
      this.#productOf(ref.instrumentId),
      ref.clientOrderId,
      this.#now() - LOOKBACK_MS,
      context,
    );
    if (found !== undefined) this.#rememberVenueId(ref.clientOrderId, found.orderId as VenueOrderId);
    return found;
  }

  /** Venue order ids remembered now (at most `venueIdsKept`). */
  get venueIdsKnown(): number {
    return this.#venueIds.size;
  }

  #rememberVenueId(clientOrderId: string, venueOrderId: VenueOrderId): void {
    this.#venueIds.delete(clientOrderId);
    this.#venueIds.set(clientOrderId, venueOrderId);
    if (this.#venueIds.size <= this.#venueIdsKept) return;
    const oldest = this.#venueIds.keys().next();
    if (oldest.done !== true) this.#venueIds.delete(oldest.value);
  }

  async #resolve(ref: VenueOrderRef, context: CallContext): Promise<string | undefined> {
    const known = ref.venueOrderId ?? this.#venueIds.get(ref.clientOrderId);
    if (known !== undefined) return known;
    return (await this.#lookup(ref, context))?.orderId;
  }

  async #fills(
    productId: string,
    orderId: string,
    clientOrderId: ClientOrderId,
    context: CallContext,
  ): Promise<VenueFill[]> {
    const instrument = this.#instruments.get(productId);
    if (instrument === undefined) throw new InvalidArgumentError('productId', `${productId} is not loaded`);
    const out: VenueFill[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.rest.listFills(
        { orderIds: [orderId], limit: 250, ...(cursor === undefined ? {} : { cursor }) },
        context,
      );
      for (const f of result.fills) out.push(toFill(f, instrument.id, clientOrderId, instrument.quoteAsset));
      if (result.cursor.length === 0 || result.fills.length === 0) break;
      cursor = result.cursor;
    }
    return out;
  }
}

function ctx(options: CallOptions): CallContext {
  return { correlationId: options.correlationId, signal: options.signal };
}
