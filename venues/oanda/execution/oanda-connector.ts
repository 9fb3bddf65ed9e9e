import { InvalidArgumentError, NotFoundError } from '../../../domain/errors.ts';
import {
  Venues,
  isTerminalOrderStatus,
  parseClientOrderId,
  parseVenueOrderId,
} from '../../../domain/index.ts';
import type { Instrument, InstrumentId, OrderRequest } from '../../../domain/index.ts';
import { Quantity } from '../../../domain/values/index.ts';
import { FinishedWindow } from '../../common/finished-window.ts';
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
import type { OandaConfig } from '../config.ts';
import type { OandaCredentials } from '../common/credentials.ts';
import type { OandaInstrumentInfo } from '../common/instrument-info.ts';
import type {
  OandaTransaction,
  OrderCancelTransaction,
  OrderFillTransaction,
} from '../common/transaction.ts';
import { OandaPriceFeed, priceToSnapshot } from '../data/price-feed.ts';
import { TokenBucket } from '../http/rate-limiter.ts';
import { OandaRestClient, orderSpecifier } from '../http/rest-client.ts';
import { createOrderSafely } from '../http/order-safety.ts';
import { toOrderSpec } from '../http/order-request.ts';
import { OandaPricingStream } from '../streaming/pricing-stream.ts';
import { OandaTransactionStream } from '../streaming/transaction-stream.ts';
import type { OandaStreamContext } from '../streaming/stream-context.ts';
import {
  applyCancel,
  applyFill,
  fillOf,
  quantityOf,
  sideOf,
  snapshotOf,
  trackOrder,
} from './execution-mapping.ts';
import type { TrackedOrder } from './execution-mapping.ts';
import { placementFromCreate, placementFromHistory, sumFills } from './placement.ts';

export interface OandaConnectorOptions {
  readonly config: Partial<OandaConfig> & Pick<OandaConfig, 'urls'>;
  readonly credentials: OandaCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Milliseconds, for how long finished orders stay tracked; default Date.now. */
  readonly now?: () => number;
}

const CAPABILITIES: VenueCapabilities = {
  orderTypes: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
  timeInForce: ['GTC', 'GTD', 'IOC', 'FOK', 'DAY'],
  postOnly: false,
  reduceOnly: true,
};

/**
 * OANDA v20 as a VenueConnector. Orders are created with clientExtensions.id = our client order id
 * (at most once: unknown outcomes are resolved by GET .../orders/@<id>); executions come from the
 * transaction stream, resumed from the last transaction id after every reconnect; market data from
 * the pricing stream as full-book snapshots. Balances: one entry in the account's home currency
 * (total = NAV, available = marginAvailable, locked = marginUsed), since OANDA accounts hold
 * margin-backed positions, not per-currency funds.
 */
/** Finished orders a connector keeps tracked at most (beyond them, order queries go to the venue). */
export const FINISHED_ORDERS_TRACKED = 10_000;
/**
 * How long a finished order stays tracked. Tracking a finished order only spares a venue request
 * when it is asked about again: a cancel racing its end, or reconciliation of an order whose end
 * the order manager has not seen, both within seconds of it (the stream reports the end as it
 * tracks it); a later query reads the order and its transactions from the venue, as for any order
 * the connector does not track. Two minutes, not only a count: at an account's few orders a minute
 * a count of 10,000 would keep every finished order for hours.
 */
export const FINISHED_ORDERS_TRACKED_MS = 120_000;

export class OandaConnector implements VenueConnector {
  readonly venue = Venues.OANDA;
  readonly capabilities = CAPABILITIES;
  readonly client: OandaRestClient;
  readonly #context: OandaStreamContext;
  readonly #logger: Logger;
  readonly #byName = new Map<string, OandaInstrumentInfo>();
  readonly #byId = new Map<string, OandaInstrumentInfo>();
  readonly #orders = new Map<string, TrackedOrder>();
  readonly #byClientId = new Map<string, string>();
  /**
   * Finished orders stay tracked for FINISHED_ORDERS_TRACKED_MS, at most the newest
   * FINISHED_ORDERS_TRACKED; older ones are asked of the venue.
   */
  readonly #finished = new FinishedWindow(
    FINISHED_ORDERS_TRACKED,
    (venueOrderId) => {
      const order = this.#orders.get(venueOrderId);
      this.#orders.delete(venueOrderId);
      if (order !== undefined && this.#byClientId.get(order.clientOrderId) === venueOrderId) {
        this.#byClientId.delete(order.clientOrderId);
      }
    },
    { maxAgeMs: FINISHED_ORDERS_TRACKED_MS, now: () => this.#now() },
  );
  readonly #execution = new Set<(event: VenueExecutionEvent) => void>();
  readonly #feed: OandaPriceFeed;
  readonly #pricing: OandaPricingStream;
  #transactions: OandaTransactionStream | undefined;
  #homeCurrency = 'USD';
  readonly #now: () => number;

  constructor(options: OandaConnectorOptions) {
    this.#now = options.now ?? Date.now;
    this.client = new OandaRestClient(options);
    this.#logger = options.logger.child({ venue: 'oanda' });
    const config = this.client.transport.config;
    this.#context = {
      config,
      credentials: options.credentials,
      connections: new TokenBucket(config.newConnectionsPerSecond),
      logger: this.#logger,
      metrics: this.client.transport.metrics,
    };
    this.#feed = new OandaPriceFeed(this.#logger);
    this.#pricing = new OandaPricingStream(
      this.#context,
      (price) => this.#feed.price(price),
      (reason) => this.#feed.stale(`pricing stream reconnecting: ${reason}`),
    );
  }

  async start(): Promise<void> {
    for (const info of await this.client.instruments()) {
      this.#byName.set(info.name, info);
      this.#byId.set(info.instrument.id, info);
    }
    const summary = await this.client.accountSummary();
    this.#homeCurrency = summary.currency;
    this.#transactions = new OandaTransactionStream(
      this.#context,
      this.client,
      summary.lastTransactionId,
      (t) => this.#onTransaction(t),
      () => this.#emit({ kind: 'reconnected', at: Date.now() }),
    );
    await this.#transactions.start();
  }

  /** Orders tracked now: live ones and the window of finished ones. */
  get trackedOrders(): number {
    return this.#orders.size;
  }

  async close(): Promise<void> {
    await Promise.all([this.#pricing.close(), this.#transactions?.close()]);
  }

  instruments(): readonly Instrument[] {
    return [...this.#byName.values()].map((i) => i.instrument);
  }

  /** The OANDA facts of an instrument (precisions, margin rate). */
  instrumentInfo(instrumentId: InstrumentId): OandaInstrumentInfo {
    const info = this.#byId.get(instrumentId);
    if (info === undefined)
      throw new InvalidArgumentError(
        'instrumentId',
        `${instrumentId} is not an OANDA instrument of this account`,
      );
    return info;
  }

  /** The last transaction id the execution stream has delivered. */
  get lastTransactionId(): string | undefined {
    return this.#transactions?.lastTransactionId;
  }

  async placeOrder(request: OrderRequest, options: CallOptions = {}): Promise<PlacementResult> {
    const info = this.instrumentInfo(request.instrumentId);
    const spec = toOrderSpec(request, info); // throws before anything is sent
    const created = await createOrderSafely(this.client, spec, {
      ...options,
      logger: this.#logger,
      metrics: this.#context.metrics,
      queries: this.#context.config.unknownOutcomeQueries,
      queryDelayMs: this.#context.config.unknownOutcomeQueryDelayMs,
    });
    const placement =
      created.outcome === 'found'
        ? placementFromHistory(
            created.order,
            info,
            request.clientOrderId,
            await this.#history(created.order.id, options),
            this.#homeCurrency,
          )
        : placementFromCreate(
            created.result,
            info,
            request,
            this.#homeCurrency,
            created.result.create === undefined ? undefined : this.#orders.get(created.result.create.id),
          );
    if (placement.tracked !== undefined) this.#track(placement.tracked);
    return placement.result;
  }

  async cancelOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot> {
    const cancel = await this.client.cancelOrder(orderSpecifier(this.#specRef(ref)), options);
    const tracked = this.#orders.get(cancel.orderId);
    if (tracked !== undefined) {
      this.#applyCancel(tracked, cancel);
      return snapshotOf(tracked);
    }
    const snapshot = await this.getOrder(
      { ...ref, venueOrderId: parseVenueOrderId(cancel.orderId) },
      options,
    );
    if (snapshot === undefined)
      throw new NotFoundError(`OANDA cancelled order ${cancel.orderId} but cannot find it`);
    return snapshot;
  }

  async getOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot | undefined> {
    const order = await this.client.getOrder(orderSpecifier(this.#specRef(ref)), options);
    if (order === undefined) return undefined;
    const tracked = this.#orders.get(order.id);
    if (tracked !== undefined && tracked.status !== 'ACKNOWLEDGED') return snapshotOf(tracked);
    const info = this.instrumentInfo(ref.instrumentId);
    const history = await this.#history(order.id, options);
    const t = trackOrder(order, info, sumFills(history.fills), order.clientOrderId ?? ref.clientOrderId);
    if (history.cancel !== undefined) applyCancel(t, history.cancel.reason, history.cancel.time);
    return snapshotOf(t);
  }

  async openOrders(
    instrumentId?: InstrumentId,
    options: CallOptions = {},
  ): Promise<readonly VenueOrderSnapshot[]> {
    const orders = await this.client.pendingOrders(options);
    const out: VenueOrderSnapshot[] = [];
    for (const order of orders) {
      const info = order.instrument === undefined ? undefined : this.#byName.get(order.instrument);
      if (info === undefined || order.clientOrderId === undefined) continue; // dependent orders (TP/SL) and manual ones
      if (instrumentId !== undefined && info.instrument.id !== instrumentId) continue;
      const tracked = this.#orders.get(order.id);
      out.push(
        tracked !== undefined
          ? snapshotOf(tracked)
          : snapshotOf(trackOrder(order, info, Quantity.zero(), order.clientOrderId)),
      );
    }
    return out;
  }

  async orderFills(ref: VenueOrderRef, options: CallOptions = {}): Promise<readonly VenueFill[]> {
    const order = await this.client.getOrder(orderSpecifier(this.#specRef(ref)), options);
    if (order === undefined) return [];
    const history = await this.#history(order.id, options);
    return history.fills.map((f) => fillOf(f, ref.instrumentId, ref.clientOrderId, this.#homeCurrency));
  }

  async balances(options: CallOptions = {}): Promise<readonly VenueBalance[]> {
    const s = await this.client.accountSummary(options);
    return [{ asset: s.currency, total: s.nav, available: s.marginAvailable, locked: s.marginUsed }];
  }

  async bookSnapshot(
    instrumentId: InstrumentId,
    depth: number,
    options: CallOptions = {},
  ): Promise<BookSnapshot> {
    const info = this.instrumentInfo(instrumentId);
    const [price] = await this.client.pricing([info.name], options);
    if (price === undefined) throw new NotFoundError(`OANDA returned no price for ${info.name}`);
    return priceToSnapshot(instrumentId, price, 0, depth);
  }

  onExecution(listener: (event: VenueExecutionEvent) => void): Unsubscribe {
    this.#execution.add(listener);
    return () => this.#execution.delete(listener);
  }

  subscribeMarketData(instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): Unsubscribe {
    const info = this.instrumentInfo(instrumentId);
    const remove = this.#feed.add(info.name, instrumentId, listener);
    this.#pricing
      .add([info.name])
      .catch((error: unknown) =>
        this.#logger.error({ err: error, instrument: info.name }, 'pricing stream failed to start'),
      );
    return remove;
  }

  #specRef(ref: VenueOrderRef): { orderId?: string; clientOrderId: string } {
    const known = ref.venueOrderId ?? this.#byClientId.get(ref.clientOrderId);
    return known === undefined
      ? { clientOrderId: ref.clientOrderId }
      : { orderId: known, clientOrderId: ref.clientOrderId };
  }

  /** Fills and the cancel of one order, from the transactions after its creation. */
  async #history(
    orderId: string,
    options: CallOptions,
  ): Promise<{ fills: OrderFillTransaction[]; cancel?: OrderCancelTransaction }> {
    const since = (BigInt(orderId) - 1n).toString();
    const { transactions } = await this.client.transactionsSince(
      since,
      ['ORDER_FILL', 'ORDER_CANCEL'],
      options,
    );
    const fills = transactions.filter(
      (t): t is OrderFillTransaction => t.kind === 'fill' && t.orderId === orderId,
    );
    const cancel = transactions.find(
      (t): t is OrderCancelTransaction => t.kind === 'cancel' && t.orderId === orderId,
    );
    return cancel === undefined ? { fills } : { fills, cancel };
  }

  #track(o: TrackedOrder): void {
    this.#orders.set(o.venueOrderId, o);
    this.#byClientId.set(o.clientOrderId, o.venueOrderId);
    this.#settled(o);
  }

  /** A finished order joins the window of finished orders still tracked (the oldest leaves it). */
  #settled(o: TrackedOrder): void {
    if (isTerminalOrderStatus(o.status)) this.#finished.add(o.venueOrderId);
  }

  #applyCancel(o: TrackedOrder, cancel: OrderCancelTransaction): void {
    if (applyCancel(o, cancel.reason, cancel.time)) {
      this.#settled(o);
      this.#emit({ kind: 'order', order: snapshotOf(o), reason: cancel.reason });
    }
  }

  /** A transaction from the stream (each delivered once, in id order) → execution events. */
  #onTransaction(t: OandaTransaction): void {
    if (t.kind === 'create') {
      const info = this.#byName.get(t.instrument);
      if (info === undefined || t.clientOrderId === undefined) return;
      const known = this.#orders.get(t.id);
      if (known !== undefined) {
        // Placed by us and tracked from the 201 answer before the stream caught up: the stream's
        // create is still the venue's acknowledgement, reported as on every other venue.
        if (known.status === 'ACKNOWLEDGED') this.#emit({ kind: 'order', order: snapshotOf(known) });
        return;
      }
      const tracked: TrackedOrder = {
        instrumentId: info.instrument.id,
        clientOrderId: parseClientOrderId(t.clientOrderId),
        venueOrderId: t.id,
        side: sideOf(t.units),
        type: t.type === 'LIMIT_ORDER' ? 'LIMIT' : t.type === 'STOP_ORDER' ? 'STOP' : 'MARKET',
        quantity: quantityOf(t.units),
        ...(t.price === undefined
          ? {}
          : t.type === 'STOP_ORDER'
            ? { stopPrice: t.price }
            : { price: t.price }),
        filled: Quantity.zero(),
        status: 'ACKNOWLEDGED',
        updatedAt: t.time,
        fillIds: new Set(),
      };
      this.#track(tracked);
      this.#emit({ kind: 'order', order: snapshotOf(tracked) });
    } else if (t.kind === 'fill') {
      const tracked = this.#orders.get(t.orderId);
      const info = this.#byName.get(t.instrument);
      if (info === undefined) return;
      const clientId =
        tracked?.clientOrderId ??
        (t.clientOrderId === undefined ? undefined : parseClientOrderId(t.clientOrderId));
      if (clientId === undefined) return; // not one of ours
      this.#emit({ kind: 'fill', fill: fillOf(t, info.instrument.id, clientId, this.#homeCurrency) });
      if (tracked !== undefined && applyFill(tracked, t)) {
        this.#settled(tracked);
        this.#emit({ kind: 'order', order: snapshotOf(tracked) });
      }
    } else if (t.kind === 'cancel') {
      const tracked = this.#orders.get(t.orderId);
      if (tracked !== undefined) this.#applyCancel(tracked, t);
    }
  }

  #emit(event: VenueExecutionEvent): void {
    for (const listener of this.#execution) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, kind: event.kind }, 'execution listener threw; others still served');
      }
    }
  }
}
