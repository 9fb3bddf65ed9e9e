import { ExponentialBackoff } from 'cockatiel';
import type { CircuitBreakerPolicy, IBackoff } from 'cockatiel';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  ResourceExhaustedError,
  UnavailableError,
  isNinjaError,
} from '../../domain/errors.ts';
import { parseInstrumentId, parseVenueId } from '../../domain/index.ts';
import type { VenueId } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { MarketDataEvent, Unsubscribe, VenueConnector } from '../../venues/venue-connector.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorContext, ActorDefinition, ReplyTo } from '../kernel/index.ts';
import { CIRCUIT_STATE_NAMES, DEFAULT_VENUE_CIRCUIT, throughCircuit, venueCircuit } from './venue-circuit.ts';
import type { VenueCircuitOptions } from './venue-circuit.ts';
import type { VenueConnectors } from './venue-connectors.ts';
import { VenueConnectionState } from './venue-messages.ts';
import type {
  MarketDataMessage,
  VenueCommand,
  VenueExecutionMessage,
  VenueStatus,
} from './venue-messages.ts';
import { venueMetrics } from './venue-metrics.ts';
import { toVenueInstrumentsWire } from './instrument-wire.ts';
import type { VenueInstrumentsWire } from './instrument-wire.ts';
import {
  fromOrderRefWire,
  fromOrderRequestWire,
  toBalanceWire,
  toBookWire,
  toExecutionEventWire,
  toFillWire,
  toMarketDataWire,
  toOrderSnapshotWire,
  toPlacementWire,
} from './venue-wire.ts';

export const VENUE_KIND = 'venue';

export interface VenueReconnectOptions {
  /** First delay after a failed connection attempt; grows exponentially with decorrelated jitter. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface VenueActorDeps {
  readonly connectors: VenueConnectors;
  /** Sends to any identity in the cluster (ClusterNode.send): market data and execution subscribers. */
  readonly send: (identity: string, message: unknown) => void;
  readonly metrics: MetricsRegistry;
  readonly circuit?: Partial<VenueCircuitOptions>;
  readonly reconnect?: Partial<VenueReconnectOptions>;
  /** Connector calls running at once; more fail RESOURCE_EXHAUSTED. Default 256. */
  readonly maxInFlight?: number;
}

interface MarketDataSubscription {
  readonly instrumentId: string;
  readonly subscriber: string;
  unsubscribe: Unsubscribe | undefined;
}

/**
 * One activation's resources. Mutable on purpose: connector callbacks, timers and the passivation
 * hook must reach the same object the messages update.
 */
interface VenueState {
  readonly venue: VenueId;
  readonly circuit: CircuitBreakerPolicy;
  connection: VenueConnectionState;
  connector: VenueConnector | undefined;
  pending: VenueConnector | undefined;
  attempt: number;
  connectAttempts: number;
  backoff: IBackoff<unknown> | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  inFlight: number;
  readonly marketData: Map<string, MarketDataSubscription>;
  readonly executionSubscribers: Set<string>;
  stopExecutions: Unsubscribe | undefined;
  /** Sends a message to this activation (bound on its first message). */
  tell: ((message: VenueCommand) => void) | undefined;
  readonly logger: Logger;
  readonly disposeCircuitListener: () => void;
}

export interface VenueActor {
  readonly definition: ActorDefinition<VenueState, VenueCommand>;
  /** Closes the connector and timers of `identity`'s activation (called when the node passivates it). */
  release(identity: string): Promise<void>;
}

const subscriptionKey = (instrumentId: string, subscriber: string): string => `${instrumentId}|${subscriber}`;

/**
 * `venue/<venue>`: owns the venue's connector (and with it its rate-limit budget; unique cluster-wide
 * because the actor is), connects with exponential backoff and jitter, forwards requests through a
 * circuit breaker that opens after repeated outages, and fans market data and execution events out
 * to subscriber identities. Requests do not block the mailbox: each runs on its own and replies when
 * the venue answers.
 */
export function venueActor(deps: VenueActorDeps): VenueActor {
  const metrics = venueMetrics(deps.metrics);
  const circuitOptions = { ...DEFAULT_VENUE_CIRCUIT, ...deps.circuit };
  const reconnect = { initialDelayMs: 250, maxDelayMs: 30_000, ...deps.reconnect };
  const maxInFlight = deps.maxInFlight ?? 256;
  const live = new Map<string, VenueState>();

  const definition = defineActor<VenueState, VenueCommand>({
    kind: VENUE_KIND,
    initialState: (key, ctx) => {
      const venue = parseVenueId(key, 'identity.key');
      if (!deps.connectors.has(venue)) {
        throw new FailedPreconditionError(`this node has no connector for venue ${venue}`);
      }
      const circuit = venueCircuit(circuitOptions);
      const listener = circuit.onStateChange((state) => {
        const name = CIRCUIT_STATE_NAMES[state];
        metrics.circuitState.set({ venue }, state);
        metrics.circuitTransitions.inc({ venue, state: name });
        ctx.logger.warn({ venue, circuit: name }, 'venue circuit changed state');
      });
      metrics.circuitState.set({ venue }, 0);
      const state: VenueState = {
        venue,
        circuit,
        connection: VenueConnectionState.connecting,
        connector: undefined,
        pending: undefined,
        attempt: 0,
        connectAttempts: 0,
        backoff: undefined,
        retryTimer: undefined,
        inFlight: 0,
        marketData: new Map(),
        executionSubscribers: new Set(),
        stopExecutions: undefined,
        tell: undefined,
        logger: ctx.logger,
        disposeCircuitListener: () => listener.dispose(),
      };
      live.set(ctx.identity, state);
      return state;
    },
    receive: (state, message, ctx) => {
      if (state.tell === undefined) {
        const self = ctx.self;
        state.tell = (m) => ctx.send(self, m);
      }
      if (state.connection === VenueConnectionState.connecting && state.pending === undefined) {
        if (state.retryTimer === undefined) connect(state);
      }
      handle(state, message, ctx);
      return state;
    },
  });

  function connect(state: VenueState): void {
    state.attempt += 1;
    state.connectAttempts += 1;
    const attempt = state.attempt;
    let connector: VenueConnector;
    try {
      connector = deps.connectors.create(state.venue);
    } catch (error) {
      failed(state, attempt, error);
      return;
    }
    state.pending = connector;
    connector.start().then(
      () => state.tell?.({ type: 'venue-connected', attempt }),
      (error: unknown) => {
        state.logger.warn({ err: error, venue: state.venue, attempt }, 'venue connection attempt failed');
        state.tell?.({ type: 'venue-connect-failed', attempt, error: String(error) });
      },
    );
  }

  function failed(state: VenueState, attempt: number, error: unknown): void {
    if (attempt !== state.attempt) return;
    metrics.connectAttempts.inc({ venue: state.venue, outcome: 'failed' });
    const pending = state.pending;
    state.pending = undefined;
    if (pending !== undefined) closeQuietly(state, pending, 'failed attempt');
    state.backoff = (
      state.backoff ??
      new ExponentialBackoff({
        initialDelay: reconnect.initialDelayMs,
        maxDelay: reconnect.maxDelayMs,
      })
    ).next(undefined);
    const delay = state.backoff.duration;
    state.logger.warn(
      { venue: state.venue, attempt, delayMs: Math.round(delay), err: error },
      'reconnecting after backoff',
    );
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      state.tell?.({ type: 'venue-start' });
    }, delay);
    state.retryTimer.unref();
  }

  function connected(state: VenueState, attempt: number): void {
    if (attempt !== state.attempt || state.pending === undefined) return;
    const connector = state.pending;
    state.pending = undefined;
    state.connector = connector;
    state.connection = VenueConnectionState.connected;
    state.backoff = undefined;
    metrics.connectAttempts.inc({ venue: state.venue, outcome: 'connected' });
    metrics.connected.set({ venue: state.venue }, 1);
    state.logger.info(
      { venue: state.venue, attempt, instruments: connector.instruments().length },
      'venue connected',
    );
    for (const subscription of state.marketData.values()) openMarketData(state, connector, subscription);
    if (state.executionSubscribers.size > 0) openExecutions(state, connector);
  }

  function handle(state: VenueState, message: VenueCommand, ctx: ActorContext<VenueCommand>): void {
    switch (message.type) {
      case 'venue-start':
        return;
      case 'venue-connected':
        connected(state, message.attempt);
        return;
      case 'venue-connect-failed':
        failed(state, message.attempt, message.error);
        return;
      case 'venue-status':
        ctx.reply(message.replyTo, status(state));
        return;
      case 'place-order':
        call(state, ctx, 'place', message.replyTo, async (c) =>
          toPlacementWire(
            await c.placeOrder(fromOrderRequestWire(message.request), { correlationId: ctx.correlationId }),
          ),
        );
        return;
      case 'cancel-order':
        call(state, ctx, 'cancel', message.replyTo, async (c) =>
          toOrderSnapshotWire(
            await c.cancelOrder(fromOrderRefWire(message.ref), { correlationId: ctx.correlationId }),
          ),
        );
        return;
      case 'get-order':
        call(state, ctx, 'get-order', message.replyTo, async (c) => {
          const order = await c.getOrder(fromOrderRefWire(message.ref), { correlationId: ctx.correlationId });
          return order === undefined ? null : toOrderSnapshotWire(order);
        });
        return;
      case 'open-orders':
        call(state, ctx, 'open-orders', message.replyTo, async (c) => {
          const instrument =
            message.instrumentId === undefined ? undefined : parseInstrumentId(message.instrumentId);
          const orders = await c.openOrders(instrument, { correlationId: ctx.correlationId });
          return orders.map(toOrderSnapshotWire);
        });
        return;
      case 'order-fills':
        call(state, ctx, 'order-fills', message.replyTo, async (c) =>
          (await c.orderFills(fromOrderRefWire(message.ref), { correlationId: ctx.correlationId })).map(
            toFillWire,
          ),
        );
        return;
      case 'balances':
        call(state, ctx, 'balances', message.replyTo, async (c) =>
          (await c.balances({ correlationId: ctx.correlationId })).map(toBalanceWire),
        );
        return;
      case 'venue-instruments':
        instruments(state, ctx, message.replyTo);
        return;
      case 'book-snapshot':
        call(state, ctx, 'book-snapshot', message.replyTo, async (c) =>
          toBookWire(await c.bookSnapshot(parseInstrumentId(message.instrumentId), message.depth)),
        );
        return;
      case 'subscribe-market-data':
        subscribeMarketData(state, message.instrumentId, message.subscriber, message.fresh === true);
        return;
      case 'unsubscribe-market-data': {
        const key = subscriptionKey(message.instrumentId, message.subscriber);
        state.marketData.get(key)?.unsubscribe?.();
        state.marketData.delete(key);
        metrics.marketDataSubscribers.set({ venue: state.venue }, state.marketData.size);
        return;
      }
      case 'subscribe-executions':
        state.executionSubscribers.add(message.subscriber);
        if (state.connector !== undefined && state.stopExecutions === undefined) {
          openExecutions(state, state.connector);
        }
        return;
      case 'unsubscribe-executions':
        state.executionSubscribers.delete(message.subscriber);
        return;
    }
  }

  /** Runs one connector call off the mailbox and answers `replyTo` with its result or error. */
  function call<R>(
    state: VenueState,
    ctx: ActorContext<VenueCommand>,
    op: string,
    replyTo: ReplyTo<R>,
    run: (connector: VenueConnector) => Promise<R>,
  ): void {
    const venue = state.venue;
    metrics.requests.inc({ venue, op });
    const connector = state.connector;
    if (connector === undefined) {
      metrics.failures.inc({ venue, op, code: 'UNAVAILABLE' });
      ctx.fail(
        replyTo,
        new UnavailableError(`venue ${venue} is connecting; try again shortly`, { details: { venue } }),
      );
      return;
    }
    if (state.inFlight >= maxInFlight) {
      metrics.failures.inc({ venue, op, code: 'RESOURCE_EXHAUSTED' });
      ctx.fail(
        replyTo,
        new ResourceExhaustedError(`venue ${venue}: ${maxInFlight} requests already in flight`),
      );
      return;
    }
    state.inFlight += 1;
    const correlationId = ctx.correlationId;
    throughCircuit(state.circuit, venue, () => run(connector))
      .then(
        (result) => ctx.reply(replyTo, result),
        (error: unknown) => {
          const code = isNinjaError(error) ? error.code : 'UNKNOWN';
          metrics.failures.inc({ venue, op, code });
          state.logger.warn({ err: error, venue, op, correlationId }, 'venue request failed');
          ctx.fail(
            replyTo,
            error instanceof Error ? error : new UnavailableError(`venue ${venue}: ${String(error)}`),
          );
        },
      )
      .finally(() => {
        state.inFlight -= 1;
      });
  }

  /** Answers from the connected connector's loaded instruments (no venue call). */
  function instruments(
    state: VenueState,
    ctx: ActorContext<VenueCommand>,
    replyTo: ReplyTo<VenueInstrumentsWire>,
  ): void {
    metrics.requests.inc({ venue: state.venue, op: 'instruments' });
    const connector = state.connector;
    if (connector === undefined) {
      metrics.failures.inc({ venue: state.venue, op: 'instruments', code: 'UNAVAILABLE' });
      ctx.fail(
        replyTo,
        new UnavailableError(`venue ${state.venue} is connecting; its instruments are not loaded yet`, {
          details: { venue: state.venue },
        }),
      );
      return;
    }
    ctx.reply(replyTo, toVenueInstrumentsWire(state.venue, connector.instruments(), connector.capabilities));
  }

  function subscribeMarketData(
    state: VenueState,
    instrumentId: string,
    subscriber: string,
    fresh: boolean,
  ): void {
    const key = subscriptionKey(instrumentId, subscriber);
    let subscription = state.marketData.get(key);
    if (subscription !== undefined && !fresh) return;
    if (subscription === undefined) {
      subscription = { instrumentId, subscriber, unsubscribe: undefined };
      state.marketData.set(key, subscription);
      metrics.marketDataSubscribers.set({ venue: state.venue }, state.marketData.size);
    }
    subscription.unsubscribe?.();
    subscription.unsubscribe = undefined;
    if (state.connector !== undefined) openMarketData(state, state.connector, subscription);
  }

  function openMarketData(
    state: VenueState,
    connector: VenueConnector,
    subscription: MarketDataSubscription,
  ): void {
    const venue = state.venue;
    try {
      subscription.unsubscribe = connector.subscribeMarketData(
        parseInstrumentId(subscription.instrumentId, 'instrumentId'),
        (event: MarketDataEvent) => {
          const message: MarketDataMessage = { type: 'market-data', venue, event: toMarketDataWire(event) };
          try {
            deps.send(subscription.subscriber, message);
            metrics.marketDataForwarded.inc({ venue, kind: event.kind });
          } catch (error) {
            metrics.undeliverable.inc({ venue, stream: 'market-data' });
            state.logger.warn(
              { err: error, subscriber: subscription.subscriber, instrumentId: subscription.instrumentId },
              'market data subscriber unreachable; subscription dropped',
            );
            subscription.unsubscribe?.();
            state.marketData.delete(subscriptionKey(subscription.instrumentId, subscription.subscriber));
          }
        },
      );
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      // An instrument the venue does not trade: nothing to stream, and the subscriber is told so.
      state.logger.warn({ err: error, subscription }, 'market data subscription refused');
      state.marketData.delete(subscriptionKey(subscription.instrumentId, subscription.subscriber));
      metrics.undeliverable.inc({ venue, stream: 'market-data' });
    }
  }

  function openExecutions(state: VenueState, connector: VenueConnector): void {
    const venue = state.venue;
    state.stopExecutions = connector.onExecution((event) => {
      const message: VenueExecutionMessage = {
        type: 'venue-execution',
        venue,
        event: toExecutionEventWire(event),
      };
      for (const subscriber of state.executionSubscribers) {
        try {
          deps.send(subscriber, message);
          metrics.executionEventsForwarded.inc({ venue, kind: event.kind });
        } catch (error) {
          metrics.undeliverable.inc({ venue, stream: 'executions' });
          state.logger.error(
            { err: error, subscriber, event: message.event },
            'execution event not delivered',
          );
        }
      }
    });
  }

  function status(state: VenueState): VenueStatus {
    return {
      venue: state.venue,
      connection: state.connection,
      circuit: CIRCUIT_STATE_NAMES[state.circuit.state],
      connectAttempts: state.connectAttempts,
      marketDataSubscribers: state.marketData.size,
      executionSubscribers: state.executionSubscribers.size,
      instruments: state.connector?.instruments().map((i) => i.id) ?? [],
    };
  }

  function closeQuietly(state: VenueState, connector: VenueConnector, why: string): void {
    connector.close().catch((error: unknown) => {
      state.logger.warn({ err: error, venue: state.venue, why }, 'closing a connector failed');
    });
  }

  async function release(identity: string): Promise<void> {
    const state = live.get(identity);
    if (state === undefined) return;
    live.delete(identity);
    state.connection = VenueConnectionState.closed;
    state.attempt += 1;
    clearTimeout(state.retryTimer);
    state.disposeCircuitListener();
    for (const subscription of state.marketData.values()) subscription.unsubscribe?.();
    state.stopExecutions?.();
    metrics.connected.set({ venue: state.venue }, 0);
    const connectors = [state.connector, state.pending].filter((c): c is VenueConnector => c !== undefined);
    state.connector = undefined;
    state.pending = undefined;
    await Promise.all(
      connectors.map((c) =>
        c.close().catch((error: unknown) => {
          state.logger.warn(
            { err: error, venue: state.venue },
            'closing the connector on passivation failed',
          );
        }),
      ),
    );
  }

  return { definition, release };
}
