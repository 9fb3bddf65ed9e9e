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
import { NotFoundError, isNinjaError } from '../../domain/errors.ts';
import { formatInstrumentId, isOrderOpen, newClientOrderId, parseInstrumentId } from '../../domain/index.ts';
import { cancelAllOrders, cancelOrder, getOrder, listOrders, placeOrder } from '../../nodes/trading.ts';
import {
  orderSideToJSON,
  orderStatusToJSON,
  orderTypeToJSON,
  timeInForceToJSON,
} from '../../proto/gen/ninja/v1/order.ts';
import { TimeInForce as ProtoTimeInForce } from '../../proto/gen/ninja/v1/order.ts';
import { domainEnum, orderMessage } from './proto-mapping.ts';
import { orderFillsOf, streamOrderUpdates } from '../streams/order-updates.ts';
import { routeOrderMethod } from './route-order-method.ts';
import { boundedString, instrumentId, uuid } from '../validation/field-schemas.ts';
import { orderReferenceSchema, orderStatus, placeOrderSchema } from './order-request-schema.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.TradingService';

const DEFAULT_PAGE_SIZE = 100;
const instrumentOf = (id: { symbol: string; venue: string } | undefined): string | undefined =>
  id === undefined ? undefined : formatInstrumentId(id.symbol, id.venue);

export function tradingMethods(services: GatewayServices): GatewayMethod[] {
  const cluster = services.cluster;
  /**
   * Ownership, then the call, then an audit record of the order-affecting call with its real
   * outcome (`ok` or the error code). A call whose record cannot be written fails.
   */
  const audited = async <T>(
    ctx: CallContext,
    accountId: string,
    action: string,
    details: unknown,
    run: () => Promise<T>,
  ): Promise<T> => {
    const principal = principalOf(ctx);
    await services.accounts.requireOwned(principal.userId, accountId);
    const record = (outcome: string, reason?: string) =>
      services.auditor.required({
        userId: principal.userId,
        actor: auditActorOf(principal),
        action,
        target: `account:${accountId}`,
        details: {
          request: details,
          source: ctx.sourceAddress ?? null,
          outcome,
          ...(reason === undefined ? {} : { reason }),
        },
        correlationId: ctx.correlationId,
      });
    let result: T;
    try {
      result = await run();
    } catch (error) {
      await record(
        isNinjaError(error) ? error.code : 'INTERNAL',
        error instanceof Error ? error.message : String(error),
      );
      throw error;
    }
    await record('ok');
    return result;
  };
  const owned = (ctx: CallContext, accountId: string) =>
    services.accounts.requireOwned(principalOf(ctx).userId, accountId);
  const opts = (ctx: CallContext) => ({ correlationId: ctx.correlationId });

  /** The order a reference names (order id or client order id); NOT_FOUND when the account has none. */
  async function referenced(
    ctx: CallContext,
    accountId: string,
    ref: { orderId: string; clientOrderId: string },
  ) {
    const order =
      ref.clientOrderId !== ''
        ? await getOrder(cluster, accountId, ref.clientOrderId, opts(ctx))
        : ((await listOrders(cluster, accountId, opts(ctx))).find((o) => o.id === ref.orderId) ??
          (await services.orderListing.findByOrderId(accountId, ref.orderId)));
    if (order === undefined) {
      throw new NotFoundError(
        `account ${accountId} has no order ${ref.clientOrderId !== '' ? ref.clientOrderId : ref.orderId}`,
      );
    }
    return order;
  }

  return [
    routeOrderMethod(services),
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
      handle: async (ctx, request: PlaceOrderRequest) =>
        audited(ctx, request.accountId, 'order.place', PlaceOrderRequest.toJSON(request), async () => {
          const order = await placeOrder(
            cluster,
            request.accountId,
            {
              clientOrderId: request.clientOrderId === '' ? newClientOrderId() : request.clientOrderId,
              instrumentId: instrumentOf(request.instrumentId) ?? '',
              side: domainEnum(orderSideToJSON(request.side), 'ORDER_SIDE_'),
              type: domainEnum(orderTypeToJSON(request.type), 'ORDER_TYPE_'),
              ...(request.timeInForce === ProtoTimeInForce.TIME_IN_FORCE_UNSPECIFIED
                ? {}
                : { timeInForce: domainEnum(timeInForceToJSON(request.timeInForce), 'TIME_IN_FORCE_') }),
              quantity: request.quantity?.value ?? '',
              ...(request.price === undefined ? {} : { price: request.price.value }),
              ...(request.stopPrice === undefined ? {} : { stopPrice: request.stopPrice.value }),
              ...(request.expireTime === undefined
                ? {}
                : {
                    expireAt:
                      Number(request.expireTime.seconds) * 1000 +
                      Math.floor(request.expireTime.nanos / 1_000_000),
                  }),
              ...(request.postOnly ? { postOnly: true } : {}),
              ...(request.reduceOnly ? { reduceOnly: true } : {}),
            },
            opts(ctx),
          );
          return { order: orderMessage(order) };
        }),
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
      handle: async (ctx, request: CancelOrderRequest) =>
        audited(ctx, request.accountId, 'order.cancel', CancelOrderRequest.toJSON(request), async () => {
          const order = await referenced(ctx, request.accountId, request);
          return {
            order: orderMessage(
              await cancelOrder(cluster, request.accountId, order.clientOrderId, opts(ctx)),
            ),
          };
        }),
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
      handle: async (ctx, request: CancelAllOrdersRequest) =>
        audited(
          ctx,
          request.accountId,
          'order.cancel_all',
          CancelAllOrdersRequest.toJSON(request),
          async () => {
            const instrument = instrumentOf(request.instrumentId);
            const open = (await listOrders(cluster, request.accountId, opts(ctx))).filter(
              (o) => isOrderOpen(o) && (instrument === undefined || o.instrumentId === instrument),
            );
            await cancelAllOrders(
              cluster,
              request.accountId,
              instrument === undefined ? undefined : parseInstrumentId(instrument, 'instrumentId'),
              opts(ctx),
            );
            const now = new Map(
              (await listOrders(cluster, request.accountId, opts(ctx))).map((o) => [o.id, o]),
            );
            return { orders: open.map((o) => orderMessage(now.get(o.id) ?? o)) };
          },
        ),
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
        return { order: orderMessage(await referenced(ctx, request.accountId, request)) };
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
        const page = await services.orderListing.page({
          accountId: request.accountId,
          live: await listOrders(cluster, request.accountId, opts(ctx)),
          instrumentId: instrumentOf(request.instrumentId),
          statuses: new Set(request.statuses.map((s) => domainEnum(orderStatusToJSON(s), 'ORDER_STATUS_'))),
          pageSize: request.pageSize === 0 ? DEFAULT_PAGE_SIZE : request.pageSize,
          pageToken: request.pageToken,
        });
        return { orders: page.orders.map(orderMessage), nextPageToken: page.nextPageToken };
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
      handle: async (ctx, request: StreamOrderUpdatesRequest, sink) => {
        await owned(ctx, request.accountId);
        await streamOrderUpdates({
          accountId: request.accountId,
          sink,
          signal: ctx.signal,
          list: () => listOrders(cluster, request.accountId, opts(ctx)),
          fills: orderFillsOf(cluster),
          logger: ctx.logger,
        });
      },
    }),
  ];
}
