import { InvalidArgumentError, UnavailableError, isNinjaError } from '../../domain/errors.ts';
import { OrderType, TimeInForce, parseVenueId } from '../../domain/index.ts';
import type { Instrument, InstrumentId, OrderRequest, VenueId } from '../../domain/index.ts';
import { Money } from '../../domain/values/index.ts';
import type { Quantity } from '../../domain/values/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
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
} from '../venue-connector.ts';
import type { BinanceUsCredentials } from './common/credentials.ts';
import { binanceUsMetrics } from './common/metrics.ts';
import type { BinanceUsMetrics } from './common/metrics.ts';
import { toInstrument } from './common/parse-instrument.ts';
import type { UserDataEvent } from './common/user-data.ts';
import { DEFAULT_BINANCE_US_CONFIG } from './config.ts';
import type { BinanceUsConfig } from './config.ts';
import { InstrumentMarketData } from './data/instrument-market-data.ts';
import {
  BINANCE_US_VENUE,
  executionEvents,
  fillsOf,
  instrumentIdOf,
  snapshotOf,
  symbolOf,
  toNewOrder,
  tradeFillsOf,
} from './execution/order-mapping.ts';
import {
  BinanceUsNoSuchOrderError,
  BinanceUsOrderRejectedError,
  BinanceUsUnknownOutcomeError,
} from './http/error.ts';
import type { OrderRef, OrderState } from './http/models.ts';
import { placeOrderSafely } from './http/order-safety.ts';
import { BinanceUsRestClient } from './http/rest-client.ts';
import { UserDataClient } from './websocket/user-data-client.ts';

export interface BinanceUsConnectorOptions {
  readonly config: Partial<BinanceUsConfig> & Pick<BinanceUsConfig, 'urls'>;
  readonly credentials: BinanceUsCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Symbols to trade (default: every symbol exchangeInfo lists as TRADING). */
  readonly symbols?: readonly string[];
  /** How long `start` waits for the user data stream before failing UNAVAILABLE. Default 10 s. */
  readonly startTimeoutMs?: number;
}

const CAPABILITIES: VenueCapabilities = Object.freeze({
  orderTypes: Object.freeze([OrderType.MARKET, OrderType.LIMIT, OrderType.STOP, OrderType.STOP_LIMIT]),
  timeInForce: Object.freeze([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]),
  postOnly: true,
  reduceOnly: false,
});

const MAX_DEPTH = 5000;

/**
 * Binance.US behind the venue-neutral contract: REST for orders, queries and snapshots (placement
 * through placeOrderSafely, so an unknown outcome is resolved by query, never by a blind resend),
 * the user data stream for execution events, and one local book per subscribed instrument.
 */
export class BinanceUsConnector implements VenueConnector {
  readonly venue: VenueId = parseVenueId(BINANCE_US_VENUE);
  readonly capabilities = CAPABILITIES;
  readonly rest: BinanceUsRestClient;
  readonly #o: BinanceUsConnectorOptions;
  readonly #config: BinanceUsConfig;
  readonly #logger: Logger;
  readonly #metrics: BinanceUsMetrics;
  readonly #user: UserDataClient;
  readonly #executionListeners = new Set<(event: VenueExecutionEvent) => void>();
  readonly #feeds = new Map<InstrumentId, InstrumentMarketData>();
  #instruments = new Map<InstrumentId, Instrument>();
  #connections = 0;
  #connected: (() => void) | undefined;

  constructor(options: BinanceUsConnectorOptions) {
    this.#o = options;
    this.#config = { ...DEFAULT_BINANCE_US_CONFIG, ...options.config };
    this.#logger = options.logger.child({ component: 'binanceus-connector' });
    this.#metrics = binanceUsMetrics(options.metrics);
    this.rest = new BinanceUsRestClient({
      config: options.config,
      credentials: options.credentials,
      logger: options.logger,
      metrics: options.metrics,
    });
    this.#user = new UserDataClient({
      config: this.#config,
      rest: this.rest,
      logger: options.logger,
      metrics: this.#metrics,
      onEvent: (event) => this.#onUserEvent(event),
      onConnected: () => this.#onUserConnected(),
    });
  }

  async start(): Promise<void> {
    const info = await this.rest.exchangeInfo(this.#o.symbols);
    const wanted = this.#o.symbols === undefined ? undefined : new Set(this.#o.symbols);
    const instruments = new Map<InstrumentId, Instrument>();
    for (const symbol of info.symbols) {
      if (wanted !== undefined ? !wanted.has(symbol.symbol) : symbol.status !== 'TRADING') continue;
      try {
        const instrument = toInstrument(symbol);
        instruments.set(instrument.id, instrument);
      } catch (error) {
        this.#metrics.malformedPayloads.inc({ kind: 'exchangeInfo' });
        this.#logger.warn({ err: error, symbol: symbol.symbol }, 'symbol not tradable exactly; left out');
      }
    }
    this.#instruments = instruments;
    const connected = new Promise<void>((resolve) => {
      this.#connected = resolve;
    });
    this.#user.start();
    const timeoutMs = this.#o.startTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new UnavailableError(`Binance.US user data stream not connected after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([connected, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    this.#logger.info({ instruments: instruments.size }, 'Binance.US connector started');
  }

  async close(): Promise<void> {
    const feeds = [...this.#feeds.values()];
    this.#feeds.clear();
    await Promise.all([this.#user.close(), ...feeds.map((feed) => feed.close())]);
  }

  instruments(): readonly Instrument[] {
    return [...this.#instruments.values()];
  }

  async placeOrder(request: OrderRequest, options: CallOptions = {}): Promise<PlacementResult> {
    const instrument = this.#instrument(request.instrumentId);
    const order = toNewOrder(request);
    try {
      const placed = await placeOrderSafely(this.rest, order, {
        logger: this.#logger,
        ...correlation(options),
      });
      if (placed.outcome === 'found') {
        return { kind: 'accepted', order: snapshotOf(placed.order), fills: [] };
      }
      const state =
        placed.response.state ??
        (await this.rest.queryOrder(
          { symbol: order.symbol, orderId: placed.response.ack.orderId },
          correlation(options),
        ));
      const at = placed.response.ack.transactTime ?? state.updateTime ?? Date.now();
      return {
        kind: 'accepted',
        order: snapshotOf(state),
        fills: fillsOf(state, placed.response.fills ?? [], instrument.quoteAsset, at),
      };
    } catch (error) {
      if (error instanceof BinanceUsOrderRejectedError) {
        return { kind: 'rejected', clientOrderId: request.clientOrderId, reason: error.message };
      }
      if (error instanceof BinanceUsUnknownOutcomeError) {
        throw new UnavailableError(
          `placement of ${request.clientOrderId} has an unknown outcome and the venue could not be asked; query it again`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async cancelOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot> {
    this.#instrument(ref.instrumentId);
    const state = await outage(this.rest.cancelOrder(orderRef(ref), correlation(options)));
    return snapshotOf(state);
  }

  async getOrder(ref: VenueOrderRef, options: CallOptions = {}): Promise<VenueOrderSnapshot | undefined> {
    this.#instrument(ref.instrumentId);
    try {
      return snapshotOf(await outage(this.rest.queryOrder(orderRef(ref), correlation(options))));
    } catch (error) {
      if (error instanceof BinanceUsNoSuchOrderError) return undefined;
      throw error;
    }
  }

  async openOrders(
    instrumentId?: InstrumentId,
    options: CallOptions = {},
  ): Promise<readonly VenueOrderSnapshot[]> {
    const symbol = instrumentId === undefined ? undefined : symbolOf(this.#instrument(instrumentId).id);
    const states = await outage(this.rest.openOrders(symbol, correlation(options)));
    return states.flatMap((state) => this.#ours(state));
  }

  async orderFills(ref: VenueOrderRef, options: CallOptions = {}): Promise<readonly VenueFill[]> {
    const instrument = this.#instrument(ref.instrumentId);
    const state = await outage(this.rest.queryOrder(orderRef(ref), correlation(options)));
    const trades = await outage(this.rest.myTrades(state.symbol, state.orderId, correlation(options)));
    return tradeFillsOf(state, trades, instrument.quoteAsset);
  }

  async balances(options: CallOptions = {}): Promise<readonly VenueBalance[]> {
    const account = await outage(this.rest.account(correlation(options)));
    return account.balances.map((b) => ({
      asset: b.asset,
      total: money(b.free.add(b.locked), b.asset),
      available: money(b.free, b.asset),
      locked: money(b.locked, b.asset),
    }));
  }

  async bookSnapshot(instrumentId: InstrumentId, depth: number): Promise<BookSnapshot> {
    this.#instrument(instrumentId);
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
      throw new InvalidArgumentError('depth', `must be an integer from 1 to ${MAX_DEPTH}`);
    }
    const snapshot = await outage(this.rest.depth(symbolOf(instrumentId), depth));
    return {
      instrumentId,
      sequence: snapshot.lastUpdateId,
      bids: snapshot.bids.slice(0, depth),
      asks: snapshot.asks.slice(0, depth),
      timestamp: Date.now(),
    };
  }

  onExecution(listener: (event: VenueExecutionEvent) => void): Unsubscribe {
    this.#executionListeners.add(listener);
    return () => this.#executionListeners.delete(listener);
  }

  subscribeMarketData(instrumentId: InstrumentId, listener: (event: MarketDataEvent) => void): Unsubscribe {
    this.#instrument(instrumentId);
    let feed = this.#feeds.get(instrumentId);
    if (feed === undefined) {
      feed = new InstrumentMarketData({
        instrumentId,
        symbol: symbolOf(instrumentId),
        config: this.#config,
        rest: this.rest,
        logger: this.#o.logger,
        metrics: this.#metrics,
      });
      this.#feeds.set(instrumentId, feed);
      feed.start();
    }
    const current = feed;
    current.add(listener);
    return () => {
      current.remove(listener);
      if (current.listenerCount > 0 || this.#feeds.get(instrumentId) !== current) return;
      this.#feeds.delete(instrumentId);
      current.close().catch((error: unknown) => {
        this.#logger.warn({ err: error, instrumentId }, 'closing the market data feed failed');
      });
    };
  }

  #instrument(instrumentId: InstrumentId): Instrument {
    const instrument = this.#instruments.get(instrumentId);
    if (instrument === undefined) {
      throw new InvalidArgumentError(
        'instrumentId',
        `${instrumentId} is not traded on this Binance.US connector`,
      );
    }
    return instrument;
  }

  /** An order whose client id is not in our alphabet was placed by hand: not ours to track. */
  #ours(state: OrderState): VenueOrderSnapshot[] {
    try {
      return [snapshotOf(state)];
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      this.#logger.info(
        { err: error, orderId: state.orderId, symbol: state.symbol },
        'open order not ours; skipped',
      );
      return [];
    }
  }

  #onUserConnected(): void {
    this.#connections += 1;
    if (this.#connections === 1) {
      this.#connected?.();
      return;
    }
    this.#emit({ kind: 'reconnected', at: Date.now() });
  }

  #onUserEvent(event: UserDataEvent): void {
    if (event.kind !== 'executionReport') return;
    const report = event.event;
    const instrument = this.#instruments.get(instrumentIdOf(report.symbol));
    if (instrument === undefined) {
      this.#logger.debug(
        { symbol: report.symbol },
        'execution report for a symbol this connector does not trade',
      );
      return;
    }
    let events: VenueExecutionEvent[];
    try {
      events = executionEvents(report, instrument.quoteAsset);
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      this.#metrics.malformedPayloads.inc({ kind: 'executionReport' });
      this.#logger.warn({ err: error, report }, 'execution report not mappable to our orders; skipped');
      return;
    }
    for (const e of events) this.#emit(e);
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

/**
 * A call other than a placement whose answer was lost (5xx, timeout) is an outage to the caller: a
 * read can simply be asked again, and a cancel is safe to repeat (the venue answers -2011 once done).
 */
async function outage<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof BinanceUsUnknownOutcomeError) {
      throw new UnavailableError(`Binance.US did not answer: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function correlation(options: CallOptions): { correlationId?: string } {
  return options.correlationId === undefined ? {} : { correlationId: options.correlationId };
}

function orderRef(ref: VenueOrderRef): OrderRef {
  const symbol = symbolOf(ref.instrumentId);
  if (ref.venueOrderId === undefined) return { symbol, origClientOrderId: ref.clientOrderId };
  if (!/^[0-9]{1,15}$/.test(ref.venueOrderId)) {
    throw new InvalidArgumentError('venueOrderId', 'a Binance.US order id is a decimal integer');
  }
  return { symbol, orderId: Number(ref.venueOrderId), origClientOrderId: ref.clientOrderId };
}

function money(quantity: Quantity, asset: string): Money {
  return Money.fromRaw(quantity.raw, quantity.precision, asset);
}
