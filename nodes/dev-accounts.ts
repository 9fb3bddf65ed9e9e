import type { ClusterNode } from '../cluster/index.ts';
import { FailedPreconditionError } from '../domain/errors.ts';
import { Money, parseAccountId, parseVenueId } from '../domain/index.ts';
import type { AccountId } from '../domain/index.ts';
import type { PortfolioCommand } from '../actors/portfolio/index.ts';
import { OPERATOR_EMAIL } from '../gateway/index.ts';
import type { Gateway } from '../gateway/index.ts';
import type { Logger } from '../observability/index.ts';
import type { DevMarket } from './dev-venues.ts';
import { portfolioOf, updateRiskLimits } from './trading.ts';

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

/** What each demo account holds at first start, per asset its venue's markets trade. */
const DEMO_FUNDS: Readonly<Record<string, string>> = {
  USD: '100000',
  BTC: '2',
  ETH: '20',
  EUR: '100000',
  SOL: '50',
  LTC: '50',
};

/** Books the demo funds of assets the account has no balance of yet (so a restart changes nothing). */
async function fundDemoAccount(
  cluster: ClusterNode,
  accountId: AccountId,
  venue: string,
  markets: readonly DevMarket[],
): Promise<string[]> {
  const view = await portfolioOf(cluster, accountId, { timeoutMs: 10_000 });
  const held = new Set(view.balances.filter((b) => b.venue === venue).map((b) => b.balance.currency));
  const assets = [...new Set(markets.flatMap((m) => [m.base, m.quote]))].filter((a) => !held.has(a));
  for (const asset of assets) {
    const amount = DEMO_FUNDS[asset];
    if (amount === undefined) continue;
    await cluster.request<true, PortfolioCommand>(
      `portfolio/${accountId}`,
      (replyTo) => ({
        type: 'set-balance',
        venue: parseVenueId(venue),
        amount: Money.parse(amount, asset),
        replyTo,
      }),
      { timeoutMs: 10_000 },
    );
  }
  return assets;
}

/**
 * Development only: makes sure the local operator has one `demo` account per venue (found by
 * venue and name, else created: starting twice creates nothing new), sets its risk limits and
 * books its starting funds in `portfolio/<accountId>` (assets it holds nothing of yet). What cannot
 * be set (no `risk` or `portfolio` reachable) is logged; the account is still returned.
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
    const own = markets.filter((m) => m.venue === venue);
    const accountId = parseAccountId(account.id);
    try {
      await updateRiskLimits(cluster, accountId, demoRiskLimits(own), { timeoutMs: 10_000 });
      const funded = await fundDemoAccount(cluster, accountId, venue, own);
      if (funded.length > 0) logger.info({ accountId, venue, assets: funded }, 'demo account funded');
    } catch (error) {
      logger.warn({ err: error, accountId, venue }, 'could not set up the demo account limits and funds');
    }
    accounts.push({ venue, accountId: account.id });
  }
  return accounts;
}
