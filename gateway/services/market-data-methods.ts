import type { Counter } from 'prom-client';
import { z } from 'zod';
import {
  GetOrderBookRequest,
  GetOrderBookResponse,
  ListInstrumentsRequest,
  ListInstrumentsResponse,
  StreamOrderBookRequest,
  StreamOrderBookResponse,
  StreamTradesRequest,
  StreamTradesResponse,
} from '../../proto/gen/ninja/v1/market_data.ts';
import { BookStatus } from '../../actors/book/index.ts';
import type { BookCommand, BookView } from '../../actors/book/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import { FailedPreconditionError, UnavailableError } from '../../domain/errors.ts';
import type { InstrumentWire, VenueCommand, VenueInstrumentsWire } from '../../actors/venue/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { Instrument, InstrumentId } from '../../proto/gen/ninja/v1/instrument.ts';
import type { FanoutHub } from '../streams/fanout-hub.ts';
import { orderBookMessage } from '../streams/market-data-proto.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod } from '../api/method-definition.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { instrumentId, venue } from '../validation/field-schemas.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.MarketDataService';

const DEFAULT_DEPTH = 50;
const BOOK_TIMEOUT_MS = 2_000;

/** The book's levels; UNAVAILABLE (retryable) while it has no data or is resynchronising. */
async function bookOf(
  cluster: ClusterNode,
  identity: string,
  levels: number,
  correlationId: string,
): Promise<BookView> {
  let view: BookView;
  try {
    view = await cluster.request<BookView, BookCommand>(
      identity,
      (replyTo) => ({ type: 'get-book', depth: levels, replyTo }),
      {
        timeoutMs: BOOK_TIMEOUT_MS,
        correlationId,
      },
    );
  } catch (error) {
    if (error instanceof FailedPreconditionError) {
      throw new UnimplementedError(`no book actors on this cluster (${identity}): ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (view.status !== BookStatus.synced) {
    throw new UnavailableError(
      `${identity} is ${view.status === BookStatus.empty ? 'waiting for its first snapshot' : 'resynchronising'}; retry shortly`,
    );
  }
  return view;
}

/** The validated instrument of a request (the schema requires it). */
function instrumentOf(request: { readonly instrumentId?: InstrumentId | undefined }): InstrumentId {
  return { symbol: request.instrumentId?.symbol ?? '', venue: request.instrumentId?.venue ?? '' };
}

const depth = z.number().int().min(0).max(1000, 'must be at most 1000').optional();

/** How long ListInstruments waits for each venue actor. */
const VENUE_TIMEOUT_MS = 2_000;

/**
 * Every venue asked in parallel. One that fails or does not answer in time is reported (logged with
 * the reason, counted by venue) and its instruments are missing; only when no venue answers is the
 * call UNAVAILABLE, with every venue's reason.
 */
async function listInstruments(
  cluster: ClusterNode,
  venues: readonly string[],
  ctx: { readonly correlationId: string; readonly logger: Logger },
  failures: Counter<'venue'>,
): Promise<ListInstrumentsResponse> {
  const { correlationId } = ctx;
  const answers = await Promise.allSettled(
    venues.map((venueId) =>
      cluster.request<VenueInstrumentsWire, VenueCommand>(
        `venue/${venueId}`,
        (replyTo) => ({ type: 'venue-instruments', replyTo }),
        // One id per request, traceable to the call's: the cluster transport refuses a request whose
        // correlation id is still pending, so parallel requests to venues on one node sharing the
        // call's id all failed but the first (ALREADY_EXISTS), and the list lacked their venues.
        { timeoutMs: VENUE_TIMEOUT_MS, correlationId: `${correlationId}:${venueId}` },
      ),
    ),
  );
  const response: ListInstrumentsResponse = { instruments: [] };
  const unavailable: string[] = [];
  answers.forEach((answer, i) => {
    const venueId = venues[i] ?? '';
    if (answer.status === 'rejected') {
      const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      ctx.logger.info({ venue: venueId, reason }, 'venue did not list its instruments');
      failures.inc({ venue: venueId });
      unavailable.push(`${venueId}: ${reason}`);
      return;
    }
    for (const instrument of answer.value.instruments)
      response.instruments.push(instrumentMessage(instrument));
  });
  if (unavailable.length === venues.length) {
    const message = `no venue listed its instruments (${unavailable.join('; ')})`;
    // As GetOrderBook: a cluster with no member that hosts venue actors cannot answer at all.
    const noVenueActors = answers.every(
      (answer) => answer.status === 'rejected' && answer.reason instanceof FailedPreconditionError,
    );
    throw noVenueActors ? new UnimplementedError(message) : new UnavailableError(message);
  }
  return response;
}

function instrumentMessage(wire: InstrumentWire): Instrument {
  return {
    id: { symbol: wire.symbol, venue: wire.venue },
    baseAsset: wire.baseAsset,
    quoteAsset: wire.quoteAsset,
    tickSize: { value: wire.tickSize },
    stepSize: { value: wire.stepSize },
    minQuantity: { value: wire.minQuantity },
    maxQuantity: { value: wire.maxQuantity },
    minNotional: { value: wire.minNotional },
  };
}

/** What the market data methods use besides the common services. */
export interface MarketDataDeps {
  readonly hub: FanoutHub;
  /** The venues ListInstruments asks when the request names none. */
  readonly venues: readonly string[];
  /** Venues that did not answer ListInstruments, by venue. */
  readonly venueListFailures: Counter<'venue'>;
}

/**
 * GetOrderBook asks `book/<venue>/<symbol>` (actors/book/) for its levels; ListInstruments asks
 * `venue/<venue>` of each venue; the two streams are served by the node's FanoutHub
 * (gateway/streams/).
 */
export function marketDataMethods(services: GatewayServices, deps: MarketDataDeps): GatewayMethod[] {
  return [
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'ListInstruments',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: ListInstrumentsRequest,
      response: ListInstrumentsResponse,
      schema: z.strictObject({ venue: venue.optional() }),
      handle: (ctx, request: ListInstrumentsRequest) =>
        listInstruments(
          services.cluster,
          request.venue === '' ? deps.venues : [request.venue],
          ctx,
          deps.venueListFailures,
        ),
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetOrderBook',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: GetOrderBookRequest,
      response: GetOrderBookResponse,
      schema: z.strictObject({ instrumentId, depth }),
      handle: async (ctx, request: GetOrderBookRequest) => {
        const symbol = request.instrumentId?.symbol ?? '';
        const venueId = request.instrumentId?.venue ?? '';
        const view = await bookOf(
          services.cluster,
          `book/${venueId}/${symbol}`,
          request.depth === 0 ? DEFAULT_DEPTH : request.depth,
          ctx.correlationId,
        );
        return { book: orderBookMessage({ symbol, venue: venueId }, view) };
      },
    }),
    anyMethod({
      kind: 'stream',
      service: SERVICE,
      name: 'StreamOrderBook',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.stream,
      request: StreamOrderBookRequest,
      response: StreamOrderBookResponse,
      schema: z.strictObject({ instrumentId, depth }),
      handle: (ctx, request: StreamOrderBookRequest, sink) =>
        deps.hub.streamBook(
          { instrumentId: instrumentOf(request), sink, signal: ctx.signal },
          request.depth === 0 ? DEFAULT_DEPTH : request.depth,
        ),
    }),
    anyMethod({
      kind: 'stream',
      service: SERVICE,
      name: 'StreamTrades',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.stream,
      request: StreamTradesRequest,
      response: StreamTradesResponse,
      schema: z.strictObject({ instrumentId }),
      handle: (ctx, request: StreamTradesRequest, sink) =>
        deps.hub.streamTrades({ instrumentId: instrumentOf(request), sink, signal: ctx.signal }),
    }),
  ];
}
