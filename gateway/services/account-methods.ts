import { z } from 'zod';
import {
  GetBalancesRequest,
  GetBalancesResponse,
  GetPnlRequest,
  GetPnlResponse,
  GetPositionsRequest,
  GetPositionsResponse,
  ListAccountsRequest,
  ListAccountsResponse,
  SetKillSwitchRequest,
  SetKillSwitchResponse,
  SetRiskLimitsRequest,
  SetRiskLimitsResponse,
} from '../../proto/gen/ninja/v1/account.ts';
import { FixedDecimal } from '../../domain/values/index.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { auditActorOf } from '../auth/principal.ts';
import { RateLimits } from '../api/rate-limits.ts';
import { anyMethod, principalOf } from '../api/method-definition.ts';
import type { CallContext, GatewayMethod, MessageJson } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { boundedString, decimal, uuid } from '../validation/field-schemas.ts';
import { timestampOf } from './proto-mapping.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.AccountService';

function notYet(method: string, owner: string): UnimplementedError {
  return new UnimplementedError(
    `AccountService.${method}: ${owner} is not built yet; the call was authenticated, authorised and validated, and nothing was changed`,
  );
}

const accountOnly = z.strictObject({ accountId: uuid });
const HUNDRED = FixedDecimal.parse('100');

const riskLimits = z.strictObject({
  maxOrderNotional: decimal().optional(),
  maxPositionQuantity: decimal().optional(),
  maxOrdersPerMinute: z.number().int().min(0).max(100_000, 'must be at most 100000').optional(),
  priceBandPercent: decimal()
    .refine((d) => FixedDecimal.parse(d.value).lte(HUNDRED), 'must be at most 100')
    .optional(),
});

export function accountMethods(services: GatewayServices): GatewayMethod[] {
  const owned = (ctx: CallContext, accountId: string) =>
    services.accounts.requireOwned(principalOf(ctx).userId, accountId);
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
  /** The portfolio reads: same request shape, answered by portfolio/<accountId> once it exists. */
  const read = <Res>(name: string, request: MessageJson<{ accountId: string }>, response: MessageJson<Res>) =>
    anyMethod<{ accountId: string }, Res>({
      kind: 'unary',
      service: SERVICE,
      name,
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request,
      response,
      schema: accountOnly,
      handle: async (ctx, req) => {
        await owned(ctx, req.accountId);
        throw notYet(name, `the portfolio (portfolio/${req.accountId})`);
      },
    });

  return [
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'ListAccounts',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: ListAccountsRequest,
      response: ListAccountsResponse,
      schema: z.strictObject({}),
      handle: async (ctx) => {
        const accounts = await services.accounts.listOwned(principalOf(ctx).userId);
        return {
          accounts: accounts.map((account) => ({
            accountId: account.id,
            venue: account.venue,
            name: account.name,
            createTime: timestampOf(account.createdAt.getTime()),
          })),
        };
      },
    }),
    read('GetBalances', GetBalancesRequest, GetBalancesResponse),
    read('GetPositions', GetPositionsRequest, GetPositionsResponse),
    read('GetPnl', GetPnlRequest, GetPnlResponse),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'SetRiskLimits',
      access: { type: 'scope', scope: Scope.TRADE },
      limit: RateLimits.trade,
      ordersAffecting: true,
      request: SetRiskLimitsRequest,
      response: SetRiskLimitsResponse,
      schema: z.strictObject({ accountId: uuid, limits: riskLimits }),
      handle: async (ctx, request: SetRiskLimitsRequest) => {
        await ownedAndAudited(
          ctx,
          request.accountId,
          'risk.set_limits',
          SetRiskLimitsRequest.toJSON(request),
        );
        throw notYet('SetRiskLimits', `the risk actor (risk/${request.accountId})`);
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'SetKillSwitch',
      access: { type: 'scope', scope: Scope.TRADE },
      limit: RateLimits.trade,
      ordersAffecting: true,
      request: SetKillSwitchRequest,
      response: SetKillSwitchResponse,
      schema: z.strictObject({
        accountId: uuid,
        engaged: z.boolean().optional(),
        cancelOpenOrders: z.boolean().optional(),
        reason: boundedString(256).optional(),
      }),
      handle: async (ctx, request: SetKillSwitchRequest) => {
        await ownedAndAudited(
          ctx,
          request.accountId,
          'risk.kill_switch',
          SetKillSwitchRequest.toJSON(request),
        );
        throw notYet('SetKillSwitch', `the risk actor (risk/${request.accountId})`);
      },
    }),
  ];
}
