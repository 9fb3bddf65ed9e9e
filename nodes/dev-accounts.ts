import { RiskRequest } from '../actors/risk/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import { FailedPreconditionError } from '../domain/errors.ts';
import { OPERATOR_EMAIL } from '../gateway/index.ts';
import type { Gateway } from '../gateway/index.ts';
import type { Logger } from '../observability/index.ts';
import type { DevMarket } from './dev-venues.ts';

/** The account name the demo strategies trade under (one account per venue). */
export const DEMO_ACCOUNT_NAME = 'demo';

export interface DemoAccount {
  readonly venue: string;
  readonly accountId: string;
}

/**
 * The demo accounts' risk limits: wide enough for the demo strategies' small quotes and legs,
 * narrow enough to be real (a runaway strategy is refused by the same checks as any client).
 */
export function demoRiskLimits(markets: readonly DevMarket[]): Record<string, unknown> {
  return {
    maxOrderNotional: { USD: '25000' },
    maxPosition: Object.fromEntries(
      markets.map((m) => [m.instrumentId, m.base === 'EUR' ? '200000' : m.base === 'BTC' ? '1' : '10']),
    ),
    maxOpenOrders: 20,
    orderRate: { burst: 20, perSecond: 5 },
    priceBandBps: 500,
  };
}

/**
 * Development only: makes sure the local operator has one `demo` account per venue (found by
 * venue and name, else created: starting twice creates nothing new) and sets its risk limits.
 * Limits that cannot be set (no `risk` kind reachable) are logged; the account is still returned.
 */
export async function ensureDemoAccounts(
  gateway: Gateway,
  cluster: ClusterNode,
  markets: readonly DevMarket[],
  logger: Logger,
): Promise<DemoAccount[]> {
  const operator = await gateway.users.findByEmail(OPERATOR_EMAIL);
  if (operator === undefined) {
    throw new FailedPreconditionError(`the development operator ${OPERATOR_EMAIL} does not exist yet`);
  }
  const owned = await gateway.accounts.listOwned(operator.id);
  const venues = [...new Set(markets.map((m) => m.venue))];
  const accounts: DemoAccount[] = [];
  for (const venue of venues) {
    const found = owned.find((a) => a.venue === venue && a.name === DEMO_ACCOUNT_NAME);
    const account = found ?? (await gateway.accounts.create(operator.id, venue, DEMO_ACCOUNT_NAME));
    if (found === undefined) logger.info({ venue, accountId: account.id }, 'demo account created');
    const limits = demoRiskLimits(markets.filter((m) => m.venue === venue));
    try {
      await cluster.request(`risk/${account.id}`, RiskRequest.update(limits), { timeoutMs: 10_000 });
    } catch (error) {
      logger.warn({ err: error, accountId: account.id, venue }, 'could not set the demo account risk limits');
    }
    accounts.push({ venue, accountId: account.id });
  }
  return accounts;
}
