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
  /** Limits, mids and venue balances poll period; default 1,000 ms. */
  readonly refreshEveryMs?: number;
  /**
   * Portfolio view (balances) poll period; default 5,000 ms. The account's own fills reload it at
   * once (`touch`, on the node of its order manager), so the poll only catches balances set elsewhere.
   */
  readonly balancesEveryMs?: number;
  readonly timeoutMs?: number;
  /**
   * How long the last two-sided mid of a book stays the reference price while the book has an empty
   * side; default 5,000 ms. A thin book is one-sided for moments (its last ask taken, the next not
   * yet placed); the price band needs a reference, not this very instant's, and the poll is up to a
   * period old anyway. Longer one-sided, the mid is absent (NO_REFERENCE_PRICE).
   */
  readonly lastMidMaxAgeMs?: number;
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
  /** When an order last asked for these figures: an account idle for IDLE_MS is no longer polled. */
  askedAt: number;
  viewLoadedAt: number;
  /** The load in flight (polls never overlap for one account), and whether another is wanted after it. */
  loading: Promise<void> | undefined;
  again: 'limits' | 'all' | undefined;
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
  /**
   * `polled`: the last poll read a synced book; until then the mid is unknown, not absent.
   * `twoSidedAt`: when a poll last found both sides (`mid` is that poll's).
   */
  const mids = new Map<
    InstrumentId,
    { mid: Price | undefined; askedAt: number; polled: boolean; twoSidedAt: number }
  >();
  const lastMidMaxAgeMs = options.lastMidMaxAgeMs ?? 5_000;
  const oneSided: Counter<'outcome'> = options.metrics.counter({
    name: 'ninja_risk_one_sided_books_total',
    help: 'Mid polls that found a book with an empty side, by outcome (last-mid: its last two-sided mid kept as the reference; none: no reference price)',
    labelNames: ['outcome'],
  });
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

  const balancesEveryMs = options.balancesEveryMs ?? 5_000;

  /**
   * Loads the account's limits (and, with `what` = 'all', its portfolio view). One load per
   * account at a time: a request while one runs is folded into a single load after it, so a slow
   * cluster never accumulates polls (100 accounts once saturated a node that way).
   */
  function loadAccount(accountId: AccountId, what: 'limits' | 'all' = 'all'): Promise<void> {
    let figures = accounts.get(accountId);
    if (figures === undefined) {
      figures = {
        limits: undefined,
        view: undefined,
        askedAt: Date.now(),
        viewLoadedAt: 0,
        loading: undefined,
        again: undefined,
      };
      accounts.set(accountId, figures);
    }
    const entry = figures;
    if (entry.loading !== undefined) {
      if (entry.again !== 'all') entry.again = what;
      return entry.loading;
    }
    entry.loading = (async () => {
      let next: 'limits' | 'all' | undefined = what;
      while (next !== undefined) {
        const withView = next === 'all' || entry.view === undefined;
        entry.again = undefined;
        const [limits, view] = await Promise.all([
          loadLimits(accountId),
          withView
            ? poll('balances', () =>
                request<PortfolioView, PortfolioCommand>(`portfolio/${accountId}`, (replyTo) => ({
                  type: 'view',
                  replyTo,
                })),
              )
            : Promise.resolve(undefined),
        ]);
        if (limits !== undefined) entry.limits = limits;
        if (view !== undefined) {
          entry.view = view;
          entry.viewLoadedAt = Date.now();
        }
        next = entry.again;
      }
    })().finally(() => {
      entry.loading = undefined;
    });
    return entry.loading;
  }

  /** The account's figures for an order: marks the account active (polled) while orders ask. */
  function figuresFor(accountId: AccountId): AccountFigures | undefined {
    const figures = accounts.get(accountId);
    if (figures !== undefined) figures.askedAt = Date.now();
    return figures;
  }

  let killSwitchLoading = false;
  async function loadKillSwitch(): Promise<void> {
    // One poll at a time: a slow answer must not stack polls every 500 ms.
    if (killSwitchLoading) return;
    killSwitchLoading = true;
    const limits = await loadLimits(CLUSTER_RISK_KEY).finally(() => {
      killSwitchLoading = false;
    });
    if (limits === undefined) return;
    if (killSwitch === undefined) {
      // The first reading after start: a change only if it is engaged.
      if (limits.killSwitch) options.logger.warn({ engaged: true }, 'cluster kill switch is engaged');
      else options.logger.info({ engaged: false }, 'cluster kill switch read: released');
    } else if (killSwitch !== limits.killSwitch) {
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
    const now = Date.now();
    if (top?.bid !== undefined && top.ask !== undefined) {
      entry.mid = midOf(top.bid[0], top.ask[0]);
      entry.twoSidedAt = now;
    } else if (entry.mid !== undefined && now - entry.twoSidedAt <= lastMidMaxAgeMs) {
      oneSided.inc({ outcome: 'last-mid' });
    } else {
      oneSided.inc({ outcome: 'none' });
      entry.mid = undefined;
    }
  }

  /** Bumped when a venue's figure is known stale (a fill): a load started before is discarded. */
  let venueGeneration = 0;

  async function loadVenueBalances(venue: VenueId): Promise<void> {
    const generation = venueGeneration;
    const lines = await poll('venue-balances', () =>
      request<readonly BalanceWire[], unknown>(`venue/${venue}`, (replyTo) => ({
        type: 'balances',
        replyTo,
      })),
    );
    if (lines === undefined || generation !== venueGeneration) return;
    venueBalances.set(
      venue,
      new Map(lines.map((l) => [l.asset, FixedDecimal.parse(l.total.amount, 'balance')])),
    );
  }

  const killTimer = setInterval(() => void loadKillSwitch(), options.killSwitchEveryMs ?? 500);
  killTimer.unref();
  const refreshTimer = setInterval(() => {
    const now = Date.now();
    for (const [accountId, figures] of accounts) {
      // No order asked for a minute: stop polling; the next order reloads (UNAVAILABLE until then).
      if (now - figures.askedAt > IDLE_MS && figures.loading === undefined) {
        accounts.delete(accountId);
        continue;
      }
      void loadAccount(accountId, now - figures.viewLoadedAt >= balancesEveryMs ? 'all' : 'limits');
    }
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
      const limits = figuresFor(accountId)?.limits;
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
        mids.set(instrumentId, { mid: undefined, askedAt: Date.now(), polled: false, twoSidedAt: 0 });
        void loadMid(instrumentId);
        return notLoaded(`the mid of ${instrumentId}`);
      }
      entry.askedAt = Date.now();
      if (!entry.polled) return notLoaded(`the mid of ${instrumentId}`);
      return entry.mid;
    },
    balance: (accountId, venue, asset) => {
      const view = figuresFor(accountId)?.view;
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
    touch: (accountId) => {
      // Only an account this node serves (its order manager asked, or is loading).
      if (!accounts.has(accountId)) return;
      void loadAccount(accountId);
      // A fill moved the venue connection's own balances too (what unfunded accounts are checked
      // against): they are not loaded until read again after it (retryable UNAVAILABLE meanwhile),
      // never used stale. Funded accounts do not read them.
      if (venueBalances.size === 0) return;
      venueGeneration += 1;
      for (const venue of venueBalances.keys()) {
        venueBalances.set(venue, undefined);
        void loadVenueBalances(venue);
      }
    },
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
