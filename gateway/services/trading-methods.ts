import { z } from 'zod';
import {
  CancelAllOrdersRequest,
  CancelAllOrdersResponse,
  CancelOrderRequest,
  CancelOrderResponse,
  GetOrderRequest,
  GetOrderResponse,
  ListOrdersRequest,
  ListOrdersResponse,
  PlaceOrderRequest,
  PlaceOrderResponse,
  StreamOrderUpdatesRequest,
  StreamOrderUpdatesResponse,
} from '../../proto/gen/ninja/v1/trading.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { auditActorOf } from '../auth/principal.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod, principalOf } from '../api/method-definition.ts';
import type { CallContext, GatewayMethod } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { boundedString, instrumentId, uuid } from '../validation/field-schemas.ts';
import { orderReferenceSchema, orderStatus, placeOrderSchema } from './order-request-schema.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.TradingService';

/** What answers until the order manager (orders/<accountId>) exists. */
function notYet(method: string, accountId: string): UnimplementedError {
  return new UnimplementedError(
    `TradingService.${method}: the order manager (orders/${accountId}) is not built yet; the call was authenticated, authorised and validated, and nothing was changed`,
  );
}

export function tradingMethods(services: GatewayServices): GatewayMethod[] {
  /** Ownership, then an audit record of the order-affecting call, before anything else happens. */
  const ownedAndAudited = async (ctx: CallContext, accountId: string, action: string, details: unknown) => {
    const principal = principalOf(ctx);
    await services.accounts.requireOwned(principal.userId, accountId);
    await services.auditor.required({
      userId: principal.userId,
      actor: auditActorOf(principal),
      action,
      target: `account:${accountId}`,
      details: { request: details, source: ctx.sourceAddress ?? null, outcome: 'unimplemented' },
      correlationId: ctx.correlationId,
    });
  };
  const owned = (ctx: CallContext, accountId: string) =>
    services.accounts.requireOwned(principalOf(ctx).userId, accountId);

  return [
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'PlaceOrder',
      access: { type: 'scope', scope: Scope.TRADE },
      limit: RateLimits.trade,
      ordersAffecting: true,
      request: PlaceOrderRequest,
      response: PlaceOrderResponse,
      schema: placeOrderSchema(),
      handle: async (ctx, request: PlaceOrderRequest) => {
        await ownedAndAudited(ctx, request.accountId, 'order.place', PlaceOrderRequest.toJSON(request));
        throw notYet('PlaceOrder', request.accountId);
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'CancelOrder',
      access: { type: 'scope', scope: Scope.TRADE },
      limit: RateLimits.trade,
      ordersAffecting: true,
      request: CancelOrderRequest,
      response: CancelOrderResponse,
      schema: orderReferenceSchema(),
      handle: async (ctx, request: CancelOrderRequest) => {
        await ownedAndAudited(ctx, request.accountId, 'order.cancel', CancelOrderRequest.toJSON(request));
        throw notYet('CancelOrder', request.accountId);
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'CancelAllOrders',
      access: { type: 'scope', scope: Scope.TRADE },
      limit: RateLimits.trade,
      ordersAffecting: true,
      request: CancelAllOrdersRequest,
      response: CancelAllOrdersResponse,
      schema: z.strictObject({ accountId: uuid, instrumentId: instrumentId.optional() }),
      handle: async (ctx, request: CancelAllOrdersRequest) => {
        await ownedAndAudited(
          ctx,
          request.accountId,
          'order.cancel_all',
          CancelAllOrdersRequest.toJSON(request),
        );
        throw notYet('CancelAllOrders', request.accountId);
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetOrder',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: GetOrderRequest,
      response: GetOrderResponse,
      schema: orderReferenceSchema(),
      handle: async (ctx, request: GetOrderRequest) => {
        await owned(ctx, request.accountId);
        throw notYet('GetOrder', request.accountId);
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'ListOrders',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: ListOrdersRequest,
      response: ListOrdersResponse,
      schema: z.strictObject({
        accountId: uuid,
        instrumentId: instrumentId.optional(),
        statuses: z.array(orderStatus).max(9).optional(),
        pageSize: z.number().int().min(0).max(500, 'must be at most 500').optional(),
        pageToken: boundedString(256).optional(),
      }),
      handle: async (ctx, request: ListOrdersRequest) => {
        await owned(ctx, request.accountId);
        throw notYet('ListOrders', request.accountId);
      },
    }),
    anyMethod({
      kind: 'stream',
      service: SERVICE,
      name: 'StreamOrderUpdates',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.stream,
      request: StreamOrderUpdatesRequest,
      response: StreamOrderUpdatesResponse,
      schema: z.strictObject({ accountId: uuid }),
      handle: async (ctx, request: StreamOrderUpdatesRequest) => {
        await owned(ctx, request.accountId);
        throw notYet('StreamOrderUpdates', request.accountId);
      },
    }),
  ];
}
