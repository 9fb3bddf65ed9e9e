// TradingService.RouteOrder: smart order routing over the caller's own accounts (nodes/routing.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RouteOrderRequest, RouteOrderResponse } from '../../proto/gen/ninja/v1/trading.ts';
import type {
  RouteChild as ProtoRouteChild,
  RoutePlan as ProtoRoutePlan,
} from '../../proto/gen/ninja/v1/trading.ts';
import { OrderSide as ProtoOrderSide, orderSideToJSON } from '../../proto/gen/ninja/v1/order.ts';
import {
  PermissionDeniedError,
  isCurrencyCode,
  isNinjaError,
  parseInstrumentIdParts,
} from '../../domain/index.ts';
import type { RouteChild, RouteOrderResult } from '../../nodes/routing.ts';
import { auditActorOf } from '../auth/principal.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod, principalOf } from '../api/method-definition.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { decimal, enumName, uuid } from '../validation/field-schemas.ts';
import { domainEnum, orderMessage, timestampOf } from './proto-mapping.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.TradingService';
/** The router takes one account per venue; more than this is never a real request. */
const MAX_ACCOUNTS = 16;

const asset = z
  .string()
  .max(16)
  .refine(isCurrencyCode, 'must be an asset code in upper case, e.g. "BTC" or "USD"');

/** RouteOrderRequest over its proto3 JSON form. */
export function routeOrderSchema(): z.ZodType {
  return z
    .strictObject({
      planId: uuid.optional(),
      baseAsset: asset,
      quoteAsset: asset,
      side: enumName(['ORDER_SIDE_BUY', 'ORDER_SIDE_SELL']),
      quantity: decimal(),
      limitPrice: decimal().optional(),
      accountIds: z.array(uuid).max(MAX_ACCOUNTS, `must name at most ${MAX_ACCOUNTS} accounts`).optional(),
    })
    .superRefine((request, ctx) => {
      if (request.baseAsset === request.quoteAsset) {
        ctx.addIssue({ code: 'custom', path: ['quoteAsset'], message: 'must differ from base_asset' });
      }
      const ids = request.accountIds ?? [];
      ids.forEach((id, i) => {
        if (ids.indexOf(id) !== i) {
          ctx.addIssue({ code: 'custom', path: ['accountIds', i], message: 'is named twice' });
        }
      });
    });
}

const dec = (value: string) => ({ value });

function childMessage(child: RouteChild): ProtoRouteChild {
  return {
    legIndex: child.leg.index,
    order: child.order === undefined ? undefined : orderMessage(child.order),
    errorCode: child.error?.code ?? '',
    errorMessage: child.error?.message ?? '',
  };
}

function planMessage({ plan }: RouteOrderResult): ProtoRoutePlan {
  const { request, summary } = plan;
  return {
    planId: plan.id,
    baseAsset: request.base,
    quoteAsset: request.quote,
    side: request.side === 'BUY' ? ProtoOrderSide.ORDER_SIDE_BUY : ProtoOrderSide.ORDER_SIDE_SELL,
    requestedQuantity: dec(request.quantity),
    limitPrice: request.limitPrice === undefined ? undefined : dec(request.limitPrice),
    legs: plan.legs.map((leg) => {
      const { symbol, venue } = parseInstrumentIdParts(leg.instrumentId, 'instrumentId');
      return {
        index: leg.index,
        accountId: leg.accountId,
        instrumentId: { symbol, venue },
        clientOrderId: leg.clientOrderId,
        quantity: dec(leg.quantity),
        limitPrice: dec(leg.limitPrice),
        expectedNotional: dec(leg.expectedNotional),
        expectedFee: dec(leg.expectedFee),
      };
    }),
    plannedQuantity: dec(summary.planned),
    unfilledQuantity: dec(summary.unfilled),
    unfilledReason: summary.unfilledReason ?? '',
    expectedAveragePrice:
      summary.expectedAveragePrice === undefined ? undefined : dec(summary.expectedAveragePrice),
    expectedNotional: dec(summary.expectedNotional),
    expectedFees: dec(summary.expectedFees),
    skipped: summary.skipped.map((s) => ({ venue: s.venue, reason: s.reason })),
    createTime: timestampOf(plan.createdAt.getTime()),
  };
}

/**
 * RouteOrder: every named account must be the caller's (PERMISSION_DENIED otherwise, nothing
 * recorded); without names, all of the caller's accounts are candidates. Audited like PlaceOrder,
 * with the plan id as target and the real outcome.
 */
export function routeOrderMethod(services: GatewayServices): GatewayMethod {
  return anyMethod({
    kind: 'unary',
    service: SERVICE,
    name: 'RouteOrder',
    access: { type: 'scope', scope: Scope.TRADE },
    limit: RateLimits.trade,
    ordersAffecting: true,
    request: RouteOrderRequest,
    response: RouteOrderResponse,
    schema: routeOrderSchema(),
    handle: async (ctx, request: RouteOrderRequest): Promise<RouteOrderResponse> => {
      const principal = principalOf(ctx);
      const planId = request.planId === '' ? randomUUID() : request.planId.toLowerCase();
      const explicit = request.accountIds.length > 0;
      const ids = request.accountIds.map((id) => id.toLowerCase());
      for (const id of ids) await services.accounts.requireOwned(principal.userId, id);
      const owned = await services.accounts.listOwned(principal.userId);
      const byId = new Map(owned.map((a) => [a.id, a]));
      const accounts = explicit
        ? ids.map((id) => {
            const account = byId.get(id);
            // requireOwned passed just above; an account never changes owner.
            if (account === undefined) throw new PermissionDeniedError(`account ${id} is not one of yours`);
            return { id: account.id, venue: account.venue };
          })
        : owned.map((a) => ({ id: a.id, venue: a.venue }));
      const record = (outcome: string, reason?: string) =>
        services.auditor.required({
          userId: principal.userId,
          actor: auditActorOf(principal),
          action: 'order.route',
          target: `route:${planId}`,
          details: {
            request: RouteOrderRequest.toJSON(request),
            planId,
            source: ctx.sourceAddress ?? null,
            outcome,
            ...(reason === undefined ? {} : { reason }),
          },
          correlationId: ctx.correlationId,
        });
      let result: RouteOrderResult;
      try {
        result = await services.router.route(
          {
            userId: principal.userId,
            planId,
            base: request.baseAsset,
            quote: request.quoteAsset,
            side: domainEnum(orderSideToJSON(request.side), 'ORDER_SIDE_'),
            quantity: request.quantity?.value ?? '',
            ...(request.limitPrice === undefined ? {} : { limitPrice: request.limitPrice.value }),
            accounts,
            explicitAccounts: explicit,
          },
          { correlationId: ctx.correlationId },
        );
      } catch (error) {
        await record(
          isNinjaError(error) ? error.code : 'INTERNAL',
          error instanceof Error ? error.message : String(error),
        );
        throw error;
      }
      await record('ok');
      return {
        plan: planMessage(result),
        created: result.created,
        children: result.children.map(childMessage),
      };
    },
  });
}
