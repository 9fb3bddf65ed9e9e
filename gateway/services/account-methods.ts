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
import type { CallContext, GatewayMethod } from '../api/method-definition.ts';
import { InvalidArgumentError, PermissionDeniedError, isNinjaError } from '../../domain/errors.ts';
import { Money, formatInstrumentId, parseAccountId, parseInstrumentId } from '../../domain/index.ts';
import type { VenueInstrumentsWire, VenueCommand } from '../../actors/venue/index.ts';
import type { PortfolioView, MoneyWire } from '../../actors/portfolio/index.ts';
import { CLUSTER_RISK_KEY } from '../../actors/risk/index.ts';
import { cancelAllOrders, portfolioOf, updateRiskLimits } from '../../nodes/trading.ts';
import { boundedString, decimal, uuid } from '../validation/field-schemas.ts';
import { instrumentMessage, timestampOf } from './proto-mapping.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.AccountService';
/** The target of a cluster-wide change (the kill switch of every account). */
const CLUSTER = Symbol('cluster');

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

interface MoneyMessage {
  readonly amount: { readonly value: string };
  readonly currency: string;
}

/** A list of amounts totalled per currency, in the order each currency first appears. */
function byCurrency(amounts: readonly MoneyWire[]): MoneyMessage[] {
  const totals = new Map<string, Money>();
  for (const m of amounts) {
    const amount = Money.parse(m.amount, m.currency);
    const prior = totals.get(m.currency);
    totals.set(m.currency, prior === undefined ? amount : prior.add(amount));
  }
  return [...totals].map(([currency, total]) => ({ amount: { value: total.toString() }, currency }));
}

/** The one total of a per-currency list; undefined when there is none or there are several. */
function onlyTotal(totals: readonly MoneyMessage[]): MoneyMessage | undefined {
  return totals.length === 1 ? totals[0] : undefined;
}

export function accountMethods(services: GatewayServices): GatewayMethod[] {
  const cluster = services.cluster;
  const owned = (ctx: CallContext, accountId: string) =>
    services.accounts.requireOwned(principalOf(ctx).userId, accountId);
  /** Ownership, the change, then its audit record with the real outcome (`ok` or the error code). */
  /** Runs an order-affecting change of `accountId` (owned by the caller) or of the whole cluster (admin scope). */
  const audited = async <T>(
    ctx: CallContext,
    accountId: string | typeof CLUSTER,
    action: string,
    details: unknown,
    run: () => Promise<T>,
  ): Promise<T> => {
    const principal = principalOf(ctx);
    if (accountId === CLUSTER) {
      if (!principal.scopes.has(Scope.ADMIN)) {
        throw new PermissionDeniedError('the cluster-wide kill switch needs the admin scope');
      }
    } else {
      await services.accounts.requireOwned(principal.userId, accountId);
    }
    const record = (outcome: string, reason?: string) =>
      services.auditor.required({
        userId: principal.userId,
        actor: auditActorOf(principal),
        action,
        target: accountId === CLUSTER ? 'cluster' : `account:${accountId}`,
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
  const view = async (ctx: CallContext, accountId: string): Promise<PortfolioView> => {
    await owned(ctx, accountId);
    return portfolioOf(cluster, accountId, { correlationId: ctx.correlationId });
  };
  /** The account's venue and what it trades (SetRiskLimits applies a figure to each). */
  const venueOf = async (ctx: CallContext, accountId: string): Promise<VenueInstrumentsWire> => {
    const account = (await services.accounts.listOwned(principalOf(ctx).userId)).find(
      (a) => a.id === accountId,
    );
    if (account === undefined) throw new PermissionDeniedError(`account ${accountId} is not yours`);
    return cluster.request<VenueInstrumentsWire, VenueCommand>(
      `venue/${account.venue}`,
      (replyTo) => ({ type: 'venue-instruments', replyTo }),
      { correlationId: ctx.correlationId },
    );
  };

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
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetBalances',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: GetBalancesRequest,
      response: GetBalancesResponse,
      schema: accountOnly,
      handle: async (ctx, request: GetBalancesRequest) => {
        const ledger = await view(ctx, request.accountId);
        // The ledger's balances: what the account was credited and what its fills moved. What open
        // orders hold is the order manager's reservation, not a ledger figure: only the total is set.
        // A venue the account was never funded on holds the net of its fills only (`funded` false);
        // a view from a node older than `fundedVenues` cannot say, and is read as unfunded.
        const funded = new Set(ledger.fundedVenues ?? []);
        return {
          balances: ledger.balances.map((line) => ({
            asset: line.balance.currency,
            total: { value: line.balance.amount },
            available: undefined,
            locked: undefined,
            updateTime: timestampOf(Date.now()),
            funded: funded.has(line.venue),
          })),
        };
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetPositions',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: GetPositionsRequest,
      response: GetPositionsResponse,
      schema: accountOnly,
      handle: async (ctx, request: GetPositionsRequest) => {
        const ledger = await view(ctx, request.accountId);
        return {
          positions: ledger.positions.map((p) => ({
            instrumentId: instrumentMessage(parseInstrumentId(p.instrumentId, 'instrumentId')),
            quantity: { value: p.quantity },
            averagePrice: p.averagePrice === undefined ? undefined : { value: p.averagePrice },
            realizedPnl: { value: p.realisedPnl.amount },
            unrealizedPnl: p.unrealisedPnl === undefined ? undefined : { value: p.unrealisedPnl.amount },
            updateTime: timestampOf(Date.now()),
          })),
        };
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetPnl',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: GetPnlRequest,
      response: GetPnlResponse,
      schema: accountOnly,
      handle: async (ctx, request: GetPnlRequest) => {
        const ledger = await view(ctx, request.accountId);
        // An account's fees are often in several currencies (Binance.US and the paper venue charge
        // a buy's fee in the asset bought), its PnL in several quote currencies: every currency's
        // total is listed, and the single field is set when there is one.
        const realized = byCurrency(ledger.realisedPnl);
        const unrealized = byCurrency(ledger.unrealisedPnl);
        const fees = byCurrency(ledger.fees.map((f) => f.fee));
        return {
          realizedPnl: onlyTotal(realized),
          unrealizedPnl: onlyTotal(unrealized),
          fees: onlyTotal(fees),
          updateTime: timestampOf(Date.now()),
          realizedPnlByCurrency: realized,
          unrealizedPnlByCurrency: unrealized,
          feesByCurrency: fees,
        };
      },
    }),
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
      handle: async (ctx, request: SetRiskLimitsRequest) =>
        audited(ctx, request.accountId, 'risk.set_limits', SetRiskLimitsRequest.toJSON(request), async () => {
          const limits = request.limits;
          const venue = await venueOf(ctx, request.accountId);
          // The API's figures apply to each quote currency / instrument the account's venue trades.
          const quotes = [...new Set(venue.instruments.map((i) => i.quoteAsset))];
          const band = limits?.priceBandPercent?.value;
          const bandText = band === undefined ? undefined : FixedDecimal.parse(band).mul(HUNDRED).toString();
          const whole = bandText === undefined ? undefined : /^(\d+)(\.0*)?$/.exec(bandText)?.[1];
          if (bandText !== undefined && whole === undefined) {
            throw new InvalidArgumentError(
              'limits.priceBandPercent',
              'must have at most 2 decimals (whole basis points)',
            );
          }
          const perMinute = limits?.maxOrdersPerMinute;
          await updateRiskLimits(
            cluster,
            parseAccountId(request.accountId, 'accountId'),
            {
              ...(limits?.maxOrderNotional === undefined
                ? {}
                : {
                    maxOrderNotional: Object.fromEntries(
                      quotes.map((q) => [q, limits.maxOrderNotional?.value ?? null]),
                    ),
                  }),
              ...(limits?.maxPositionQuantity === undefined
                ? {}
                : {
                    maxPosition: Object.fromEntries(
                      venue.instruments.map((i) => [
                        formatInstrumentId(i.symbol, i.venue),
                        limits.maxPositionQuantity?.value ?? null,
                      ]),
                    ),
                  }),
              ...(perMinute === undefined || perMinute === 0
                ? {}
                : { orderRate: { burst: perMinute, perSecond: perMinute / 60 } }),
              ...(whole === undefined ? {} : { priceBandBps: Number(whole) }),
            },
            { correlationId: ctx.correlationId },
          );
          return { limits };
        }),
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
      schema: z
        .strictObject({
          accountId: uuid.optional(),
          engaged: z.boolean().optional(),
          cancelOpenOrders: z.boolean().optional(),
          reason: boundedString(256).optional(),
          clusterWide: z.boolean().optional(),
        })
        .superRefine((request, issues) => {
          if (request.clusterWide === true) {
            if (request.accountId !== undefined && request.accountId !== '') {
              issues.addIssue({
                code: 'custom',
                path: ['accountId'],
                message: 'must be empty with cluster_wide',
              });
            }
            if (request.cancelOpenOrders === true) {
              issues.addIssue({
                code: 'custom',
                path: ['cancelOpenOrders'],
                message: 'is per account: not with cluster_wide',
              });
            }
          } else if (request.accountId === undefined || request.accountId === '') {
            issues.addIssue({ code: 'custom', path: ['accountId'], message: 'is required' });
          }
        }),
      handle: async (ctx, request: SetKillSwitchRequest) =>
        audited(
          ctx,
          request.clusterWide ? CLUSTER : request.accountId,
          'risk.kill_switch',
          SetKillSwitchRequest.toJSON(request),
          async () => {
            const key = request.clusterWide
              ? CLUSTER_RISK_KEY
              : parseAccountId(request.accountId, 'accountId');
            const limits = await updateRiskLimits(
              cluster,
              key,
              { killSwitch: request.engaged },
              {
                correlationId: ctx.correlationId,
              },
            );
            if (request.engaged && request.cancelOpenOrders) {
              await cancelAllOrders(cluster, request.accountId, undefined, {
                correlationId: ctx.correlationId,
              });
            }
            return { engaged: limits.killSwitch };
          },
        ),
    }),
  ];
}
