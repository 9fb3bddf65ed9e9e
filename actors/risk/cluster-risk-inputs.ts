// What the order manager's pre-trade checks read, gathered over the cluster for the accounts this
// node's order managers serve: their limits (`risk/<accountId>`), the cluster-wide kill switch
// (`risk/cluster`, polled), mids from the book actors and balances — the funding rule: from
// `portfolio/<accountId>` on a venue where the account was funded (a balance set: deposit or
// onboarding), else the venue connection's own figure, which already moves with the fills of every
// account trading through it (the portfolio's lines there are only the net flows of the fills).
// All reads are synchronous from caches polled in the background; a figure not loaded yet refuses
// the order with a retryable UNAVAILABLE and starts loading, so nothing is ever guessed.
import type { Counter } from 'prom-client';
import { UnavailableError, isNinjaError } from '../../domain/errors.ts';
import { FixedDecimal, Price, parseInstrumentIdParts } from '../../domain/index.ts';
import type { AccountId, InstrumentId, RiskLimits, VenueId } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { TopOfBookWire } from '../book/book-messages.ts';
import type { VenueRequester } from '../orders/cluster-venue-access.ts';
import type { OrderManagerRiskInputs } from '../orders/order-manager-options.ts';
import type { PortfolioCommand } from '../portfolio/portfolio-actor.ts';
import type { PortfolioView } from '../portfolio/portfolio-wire.ts';
import type { BalanceWire } from '../venue/venue-wire.ts';
import { CLUSTER_RISK_KEY } from './risk-codec.ts';
import type { RiskCommand } from './risk-limits-actor.ts';

export interface ClusterRiskInputsOptions {
  readonly cluster: VenueRequester;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Kill switch poll period; default 500 ms (every node sees a change within one second). */
  readonly killSwitchEveryMs?: number;
  /** Limits, balances and mids poll period; default 1,000 ms. */
  readonly refreshEveryMs?: number;
  readonly timeoutMs?: number;
}

export interface ClusterRiskInputs extends OrderManagerRiskInputs {
  /** Loads the account's limits and balances now (an order manager calls it when it activates). */
  prepare(accountId: AccountId): Promise<void>;
  /** Reloads the account's figures at once (after a fill or a limits change). */
  touch(accountId: AccountId): void;
  close(): void;
}

interface AccountFigures {
  limits: RiskLimits | undefined;
  view: PortfolioView | undefined;
}

const IDLE_MS = 60_000;

export function clusterRiskInputs(options: ClusterRiskInputsOptions): ClusterRiskInputs {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const polls: Counter<'figure' | 'outcome'> = options.metrics.counter({
    name: 'ninja_risk_input_polls_total',
    help: 'Polls of pre-trade inputs (limits, kill switch, balances, mids) by outcome',
    labelNames: ['figure', 'outcome'],
  });
  const accounts = new Map<AccountId, AccountFigures>();
  /** `polled`: the last poll read a synced book; until then the mid is unknown, not absent. */
  const mids = new Map<InstrumentId, { mid: Price | undefined; askedAt: number; polled: boolean }>();
  /** A venue's own balances; undefined while the first load runs. */
  const venueBalances = new Map<VenueId, ReadonlyMap<string, FixedDecimal> | undefined>();
  let killSwitch: boolean | undefined;

  const outcome = (error: unknown): string => (isNinjaError(error) ? error.code.toLowerCase() : 'error');
  const poll = async <T>(figure: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await run();
      polls.inc({ figure, outcome: 'ok' });
      return value;
    } catch (error) {
      polls.inc({ figure, outcome: outcome(error) });
      options.logger.debug({ err: error, figure }, 'pre-trade input poll failed; retried');
      return undefined;
    }
  };
  const request = <R, M>(target: string, build: (replyTo: never) => M): Promise<R> =>
    options.cluster.request<R, M>(target, build as never, { timeoutMs });

  const loadLimits = async (key: string): Promise<RiskLimits | undefined> =>
    poll('limits', () =>
      request<RiskLimits, RiskCommand>(`risk/${key}`, (replyTo) => ({ type: 'get', replyTo })),
    );

  async function loadAccount(accountId: AccountId): Promise<void> {
    let figures = accounts.get(accountId);
    if (figures === undefined) {
      figures = { limits: undefined, view: undefined };
      accounts.set(accountId, figures);
    }
    const [limits, view] = await Promise.all([
      loadLimits(accountId),
      poll('balances', () =>
        request<PortfolioView, PortfolioCommand>(`portfolio/${accountId}`, (replyTo) => ({
          type: 'view',
          replyTo,
        })),
      ),
    ]);
    if (limits !== undefined) figures.limits = limits;
    if (view !== undefined) figures.view = view;
  }

  async function loadKillSwitch(): Promise<void> {
    const limits = await loadLimits(CLUSTER_RISK_KEY);
    if (limits === undefined) return;
    if (killSwitch !== limits.killSwitch) {
      options.logger.warn({ engaged: limits.killSwitch }, 'cluster kill switch changed');
    }
    killSwitch = limits.killSwitch;
  }

  async function loadMid(instrumentId: InstrumentId): Promise<void> {
    const { venue, symbol } = parseInstrumentIdParts(instrumentId, 'instrumentId');
    const top = await poll('mid', () =>
      request<TopOfBookWire, { type: 'get-top'; replyTo: unknown }>(`book/${venue}/${symbol}`, (replyTo) => ({
        type: 'get-top',
        replyTo,
      })),
    );
    const entry = mids.get(instrumentId);
    if (entry === undefined) return;
    // An unreadable or resynchronising book leaves the mid unknown (a retryable refusal); only a
    // synced book with an empty side means there is no reference price.
    entry.polled = top !== undefined && top.status === 'synced';
    if (!entry.polled) return;
    entry.mid = top?.bid !== undefined && top.ask !== undefined ? midOf(top.bid[0], top.ask[0]) : undefined;
  }

  async function loadVenueBalances(venue: VenueId): Promise<void> {
    const lines = await poll('venue-balances', () =>
      request<readonly BalanceWire[], unknown>(`venue/${venue}`, (replyTo) => ({
        type: 'balances',
        replyTo,
      })),
    );
    if (lines === undefined) return;
    venueBalances.set(
      venue,
      new Map(lines.map((l) => [l.asset, FixedDecimal.parse(l.total.amount, 'balance')])),
    );
  }

  const killTimer = setInterval(() => void loadKillSwitch(), options.killSwitchEveryMs ?? 500);
  killTimer.unref();
  const refreshTimer = setInterval(() => {
    for (const accountId of accounts.keys()) void loadAccount(accountId);
    const now = Date.now();
    for (const [instrumentId, entry] of mids) {
      if (now - entry.askedAt > IDLE_MS) mids.delete(instrumentId);
      else void loadMid(instrumentId);
    }
    for (const venue of venueBalances.keys()) void loadVenueBalances(venue);
  }, options.refreshEveryMs ?? 1_000);
  refreshTimer.unref();
  void loadKillSwitch();

  const notLoaded = (what: string): never => {
    throw new UnavailableError(`${what} is not loaded yet on this node; try again shortly`);
  };

  return {
    limits: (accountId) => {
      const limits = accounts.get(accountId)?.limits;
      if (limits === undefined) {
        void loadAccount(accountId);
        return notLoaded(`the risk limits of account ${accountId}`);
      }
      return limits;
    },
    clusterKillSwitch: () => {
      if (killSwitch === undefined) {
        void loadKillSwitch();
        return notLoaded('the cluster kill switch');
      }
      return killSwitch;
    },
    mid: (instrumentId) => {
      const entry = mids.get(instrumentId);
      if (entry === undefined) {
        mids.set(instrumentId, { mid: undefined, askedAt: Date.now(), polled: false });
        void loadMid(instrumentId);
        return notLoaded(`the mid of ${instrumentId}`);
      }
      entry.askedAt = Date.now();
      if (!entry.polled) return notLoaded(`the mid of ${instrumentId}`);
      return entry.mid;
    },
    balance: (accountId, venue, asset) => {
      const view = accounts.get(accountId)?.view;
      if (view === undefined) {
        void loadAccount(accountId);
        return notLoaded(`the balances of account ${accountId}`);
      }
      const own = view.balances.filter((b) => b.venue === venue);
      // Views from older nodes do not say which venues are funded: any balance line counted as funding.
      const funded = view.fundedVenues?.includes(venue) ?? own.length > 0;
      if (funded) {
        const line = own.find((b) => b.balance.currency === asset);
        return line === undefined ? FixedDecimal.zero() : FixedDecimal.parse(line.balance.amount, 'balance');
      }
      const shared = venueBalances.get(venue);
      if (shared === undefined) {
        if (!venueBalances.has(venue)) {
          venueBalances.set(venue, undefined);
          void loadVenueBalances(venue);
        }
        return notLoaded(`the balances of venue ${venue}`);
      }
      return shared.get(asset) ?? FixedDecimal.zero();
    },
    prepare: (accountId) => loadAccount(accountId),
    touch: (accountId) => void loadAccount(accountId),
    close: () => {
      clearInterval(killTimer);
      clearInterval(refreshTimer);
    },
  };
}

/** (bid + ask) / 2, exact: halving is × 5 at one more decimal place. */
function midOf(bid: string, ask: string): Price {
  const sum = FixedDecimal.parse(bid, 'bid').add(FixedDecimal.parse(ask, 'ask'));
  return Price.fromRaw(sum.raw * 5n, sum.precision + 1);
}
