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
import type { OrderBook } from '../../proto/gen/ninja/v1/market_data.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod } from '../api/method-definition.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { instrumentId, venue } from '../validation/field-schemas.ts';
import type { GatewayServices } from './gateway-services.ts';
import { timestampOf } from './proto-mapping.ts';

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

function orderBookMessage(instrumentId: { symbol: string; venue: string }, view: BookView): OrderBook {
  const level = ([price, quantity]: readonly [string, string]) => ({
    price: { value: price },
    quantity: { value: quantity },
  });
  return {
    instrumentId,
    bids: view.bids.map(level),
    asks: view.asks.map(level),
    sequence: BigInt(view.sequence),
    updateTime: timestampOf(view.timestamp),
  };
}

const depth = z.number().int().min(0).max(1000, 'must be at most 1000').optional();

/**
 * GetOrderBook asks `book/<venue>/<symbol>` (actors/book/) for its levels. NOT WIRED YET: the
 * streams and ListInstruments authenticate, authorise and validate, then answer UNIMPLEMENTED.
 */
function notYet(method: string, target: string): UnimplementedError {
  return new UnimplementedError(
    `MarketDataService.${method}: the book actors (${target}) are not wired into the gateway yet; the request was valid`,
  );
}

export function marketDataMethods(services: GatewayServices): GatewayMethod[] {
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
      handle: (_ctx, request: ListInstrumentsRequest) =>
        Promise.reject(notYet('ListInstruments', `venue/${request.venue === '' ? '*' : request.venue}`)),
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
      handle: (_ctx, request: StreamOrderBookRequest) =>
        Promise.reject(
          notYet(
            'StreamOrderBook',
            `book/${request.instrumentId?.venue ?? ''}/${request.instrumentId?.symbol ?? ''}`,
          ),
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
      handle: (_ctx, request: StreamTradesRequest) =>
        Promise.reject(
          notYet(
            'StreamTrades',
            `book/${request.instrumentId?.venue ?? ''}/${request.instrumentId?.symbol ?? ''}`,
          ),
        ),
    }),
  ];
}
