// VenueAccess over the cluster: every call is a request to `venue/<venue>` (wherever it lives) in
// the wire form of actors/venue/venue-wire.ts. The order manager reads instruments and
// capabilities synchronously, so they are cached per venue and refreshed on a timer; a venue not
// loaded yet refuses orders with a retryable UNAVAILABLE and starts loading.
import type { Counter } from 'prom-client';
import {
  FailedPreconditionError,
  UnavailableError,
  UnimplementedError,
  isNinjaError,
} from '../../domain/errors.ts';
import { parseVenueId } from '../../domain/index.ts';
import type { Instrument, InstrumentId, VenueId } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { CallOptions, VenueCapabilities, VenueOrderSnapshot } from '../../venues/venue-connector.ts';
import type { ReplyTo } from '../kernel/index.ts';
import { fromVenueInstrumentsWire } from '../venue/instrument-wire.ts';
import type { VenueInstruments, VenueInstrumentsWire } from '../venue/instrument-wire.ts';
import type { VenueCommand } from '../venue/venue-messages.ts';
import {
  fromFillWire,
  fromOrderSnapshotWire,
  fromPlacementWire,
  toOrderRefWire,
  toOrderRequestWire,
} from '../venue/venue-wire.ts';
import type { FillWire, OrderSnapshotWire, PlacementWire } from '../venue/venue-wire.ts';
import type { VenueAccess, VenueEndpoint } from './venue-access.ts';

/** The part of ClusterNode this needs (a node, or anything that routes the same way). */
export interface VenueRequester {
  request<Reply, Msg>(
    target: string,
    build: (replyTo: ReplyTo<Reply>) => Msg,
    options?: { readonly timeoutMs?: number; readonly correlationId?: string },
  ): Promise<Reply>;
  send<Msg>(target: string, message: Msg, options?: { readonly correlationId?: string }): void;
}

export interface ClusterVenueAccessOptions {
  readonly cluster: VenueRequester;
  /** The venues orders may go to; others are refused (INVALID_ARGUMENT: not available). */
  readonly venues: readonly string[];
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Instruments refresh and execution re-subscription period. Default 10,000 ms. */
  readonly refreshEveryMs?: number;
  /** Timeout of one venue request. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /**
   * How long a read (get order, open orders, fills) is retried while the venue answers UNAVAILABLE
   * (e.g. still connecting after a restart), 200 ms apart. Default 5,000 ms; 0 turns it off.
   */
  readonly readRetryMs?: number;
}

export interface ClusterVenueAccess extends VenueAccess {
  /** Reloads every venue in use now (resolves when each has answered or failed). */
  refresh(): Promise<void>;
  /** Stops the refresh timer; unsubscriptions after it are not sent (the node has stopped). */
  close(): void;
}

interface VenueCache {
  /** Set once something used the venue: only those are refreshed (an unused venue costs nothing). */
  wanted: boolean;
  loaded: VenueInstruments | undefined;
  loading: Promise<void> | undefined;
  /** Why the last load failed, until one succeeds. */
  failure: unknown;
  /** Identities subscribed to this venue's executions (re-sent on each refresh: the venue actor may move). */
  readonly subscribers: Set<string>;
}

const READ_RETRY_PAUSE_MS = 200;

export function clusterVenueAccess(options: ClusterVenueAccessOptions): ClusterVenueAccess {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const loads: Counter<'venue' | 'outcome'> = options.metrics.counter({
    name: 'ninja_orders_venue_instrument_loads_total',
    help: 'Loads of a venue instruments and capabilities by the cluster venue access, by outcome',
    labelNames: ['venue', 'outcome'],
  });
  const caches = new Map<VenueId, VenueCache>();
  for (const text of options.venues) {
    caches.set(parseVenueId(text, 'venues'), {
      wanted: false,
      loaded: undefined,
      loading: undefined,
      failure: undefined,
      subscribers: new Set(),
    });
  }

  const ask = <R>(
    venue: VenueId,
    build: (replyTo: ReplyTo<R>) => VenueCommand,
    call?: CallOptions,
  ): Promise<R> =>
    options.cluster.request<R, VenueCommand>(`venue/${venue}`, build, {
      timeoutMs,
      ...(call?.correlationId === undefined ? {} : { correlationId: call.correlationId }),
    });

  // Reads are idempotent, so a venue that is still connecting (a node just restarted: its order
  // managers reconcile at once) is asked again for a while rather than failing the whole pass.
  const readRetryMs = options.readRetryMs ?? 5_000;
  const askRead = async <R>(
    venue: VenueId,
    build: (replyTo: ReplyTo<R>) => VenueCommand,
    call?: CallOptions,
  ): Promise<R> => {
    const giveUpAt = Date.now() + readRetryMs;
    for (;;) {
      try {
        return await ask(venue, build, call);
      } catch (error) {
        if (!(error instanceof UnavailableError) || Date.now() + READ_RETRY_PAUSE_MS > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_PAUSE_MS));
      }
    }
  };

  function load(venue: VenueId, cache: VenueCache): Promise<void> {
    cache.loading ??= ask<VenueInstrumentsWire>(venue, (replyTo) => ({ type: 'venue-instruments', replyTo }))
      .then(
        (wire) => {
          cache.loaded = fromVenueInstrumentsWire(wire);
          cache.failure = undefined;
          loads.inc({ venue, outcome: 'ok' });
        },
        (error: unknown) => {
          cache.failure = error;
          loads.inc({ venue, outcome: isNinjaError(error) ? error.code.toLowerCase() : 'error' });
          options.logger.warn({ err: error, venue }, 'venue instruments could not be loaded; retried');
        },
      )
      .finally(() => {
        cache.loading = undefined;
      });
    return cache.loading;
  }

  function loaded(venue: VenueId, cache: VenueCache): VenueInstruments {
    cache.wanted = true;
    if (cache.loaded !== undefined) return cache.loaded;
    void load(venue, cache);
    // A cluster where no member can host venue actors (a one-node cluster without the venue role:
    // FAILED_PRECONDITION from the router) cannot trade on it: UNIMPLEMENTED, as GetOrderBook says.
    // Anything else is a venue still starting or reconnecting, worth a retry.
    const failure = cache.failure;
    if (failure instanceof FailedPreconditionError) {
      throw new UnimplementedError(`venue ${venue}: no venue actors on this cluster: ${failure.message}`, {
        details: { venue },
        cause: failure,
      });
    }
    const cause = failure instanceof Error ? ` (last attempt: ${failure.message})` : '';
    throw new UnavailableError(`venue ${venue}: instruments are not loaded yet; try again shortly${cause}`, {
      details: { venue },
      ...(failure === undefined ? {} : { cause: failure }),
    });
  }

  function subscribe(venue: VenueId, subscriber: string): void {
    try {
      options.cluster.send<VenueCommand>(`venue/${venue}`, { type: 'subscribe-executions', subscriber });
    } catch (error) {
      options.logger.warn(
        { err: error, venue, subscriber },
        'execution subscription not sent; retried on refresh',
      );
    }
  }

  function endpoint(venue: VenueId, cache: VenueCache): VenueEndpoint {
    return {
      venue,
      get capabilities(): VenueCapabilities {
        return loaded(venue, cache).capabilities;
      },
      instruments: (): readonly Instrument[] => loaded(venue, cache).instruments,
      placeOrder: async (request, call) =>
        fromPlacementWire(
          await ask<PlacementWire>(
            venue,
            (replyTo) => ({ type: 'place-order', request: toOrderRequestWire(request), replyTo }),
            call,
          ),
        ),
      cancelOrder: async (ref, call) =>
        fromOrderSnapshotWire(
          await ask<OrderSnapshotWire>(
            venue,
            (replyTo) => ({ type: 'cancel-order', ref: toOrderRefWire(ref), replyTo }),
            call,
          ),
        ),
      getOrder: async (ref, call) => {
        const order = await askRead<OrderSnapshotWire | null>(
          venue,
          (replyTo) => ({ type: 'get-order', ref: toOrderRefWire(ref), replyTo }),
          call,
        );
        return order === null ? undefined : fromOrderSnapshotWire(order);
      },
      openOrders: (instrumentId?: InstrumentId, call?: CallOptions) => {
        const read = async (): Promise<readonly VenueOrderSnapshot[]> =>
          (
            await askRead<readonly OrderSnapshotWire[]>(
              venue,
              (replyTo) => ({
                type: 'open-orders',
                ...(instrumentId === undefined ? {} : { instrumentId }),
                replyTo,
              }),
              call,
            )
          ).map((o, i) => fromOrderSnapshotWire(o, `orders[${i}]`));
        if (instrumentId !== undefined) return read();
        // Every order manager of this node reconciling at once (a node start activates them all)
        // would each spend a whole-account read of the venue's request budget (Binance.US: weight
        // 40 of 1,200 a minute): a read that starts while one is in flight joins it. Safe for
        // reconciliation, which takes from it only the venue orders it does not know: every order
        // of ours was journaled before it was sent, so none can be missing from what it knows,
        // and one the snapshot predates is observed on its own.
        const joined = openInFlight.get(venue);
        if (joined !== undefined) return joined;
        const reading = read().finally(() => openInFlight.delete(venue));
        openInFlight.set(venue, reading);
        return reading;
      },
      orderFills: async (ref, call) =>
        (
          await askRead<readonly FillWire[]>(
            venue,
            (replyTo) => ({ type: 'order-fills', ref: toOrderRefWire(ref), replyTo }),
            call,
          )
        ).map((f, i) => fromFillWire(f, `fills[${i}]`)),
      onExecution: (_listener, subscriber) => {
        cache.wanted = true;
        cache.subscribers.add(subscriber);
        subscribe(venue, subscriber);
        return () => {
          cache.subscribers.delete(subscriber);
          // Closed: the node's trading has been shut down after its cluster stopped; the venue
          // actors and their subscriber sets are gone with it, there is nobody to tell.
          if (closed) return;
          try {
            options.cluster.send<VenueCommand>(`venue/${venue}`, {
              type: 'unsubscribe-executions',
              subscriber,
            });
          } catch (error) {
            options.logger.warn({ err: error, venue, subscriber }, 'execution unsubscription not sent');
          }
        };
      },
    };
  }

  let closed = false;
  const openInFlight = new Map<VenueId, Promise<readonly VenueOrderSnapshot[]>>();
  const endpoints = new Map<VenueId, VenueEndpoint>(
    [...caches].map(([venue, cache]) => [venue, endpoint(venue, cache)]),
  );

  const refresh = async (): Promise<void> => {
    await Promise.all(
      [...caches].map(async ([venue, cache]) => {
        if (!cache.wanted) return;
        await load(venue, cache);
        for (const subscriber of cache.subscribers) subscribe(venue, subscriber);
      }),
    );
  };
  const timer = setInterval(() => void refresh(), options.refreshEveryMs ?? 10_000);
  timer.unref();

  return {
    venue: (id) => endpoints.get(id),
    venues: () => [...endpoints.keys()],
    refresh,
    close: () => {
      closed = true;
      clearInterval(timer);
    },
  };
}
