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
import { Scope } from '../auth/roles-and-scopes.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod } from '../api/method-definition.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { instrumentId, venue } from '../validation/field-schemas.ts';

const SERVICE = 'ninja.v1.MarketDataService';

const depth = z.number().int().min(0).max(1000, 'must be at most 1000').optional();

/**
 * NOT WIRED YET: the book actors (book/<venue>/<symbol>, actors/book/) were not committed when the
 * gateway was; these methods authenticate, authorise and validate, then answer UNIMPLEMENTED.
 */
function notYet(method: string, target: string): UnimplementedError {
  return new UnimplementedError(
    `MarketDataService.${method}: the book actors (${target}) are not wired into the gateway yet; the request was valid`,
  );
}

export function marketDataMethods(): GatewayMethod[] {
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
      handle: (_ctx, request: GetOrderBookRequest) =>
        Promise.reject(
          notYet(
            'GetOrderBook',
            `book/${request.instrumentId?.venue ?? ''}/${request.instrumentId?.symbol ?? ''}`,
          ),
        ),
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
