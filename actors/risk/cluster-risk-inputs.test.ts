import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  UnavailableError,
  emptyRiskLimits,
  parseAccountId,
  parseInstrumentId,
  parseVenueId,
} from '../../domain/index.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type { VenueRequester } from '../orders/cluster-venue-access.ts';
import type { PortfolioView } from '../portfolio/portfolio-wire.ts';
import type { BalanceWire } from '../venue/venue-wire.ts';
import type { TopOfBookWire } from '../book/book-messages.ts';
import { clusterRiskInputs } from './cluster-risk-inputs.ts';
import type { ClusterRiskInputs } from './cluster-risk-inputs.ts';

const ACCOUNT = parseAccountId('00000000-0000-4000-8000-000000000001');
const PAPER = parseVenueId('paper');
const usd = (amount: string) => ({ amount, currency: 'USD' });

/** A portfolio after one BUY of 0.1 BTC at 30,000 and nothing else: its lines are the fill's flows. */
function viewAfterOneBuy(fundedVenues?: readonly string[]): PortfolioView {
  return {
    balances: [
      { venue: 'paper', balance: { amount: '0.1', currency: 'BTC' } },
      {
        venue: 'paper',
        balance: usd(fundedVenues === undefined || fundedVenues.length === 0 ? '-3000' : '7000'),
      },
    ],
    ...(fundedVenues === undefined ? {} : { fundedVenues }),
    fees: [],
    positions: [],
    realisedPnl: [],
    unrealisedPnl: [],
    unmarked: [],
    fillsBooked: 1,
  };
}

const venueLines: readonly BalanceWire[] = [
  { asset: 'USD', total: usd('50000'), available: usd('50000'), locked: usd('0') },
];

/** A cluster answering the inputs' requests from fixed figures. */
function fakeCluster(view: PortfolioView): VenueRequester {
  return {
    request: <Reply>(target: string): Promise<Reply> => {
      if (target.startsWith('risk/')) return Promise.resolve(emptyRiskLimits() as Reply);
      if (target.startsWith('portfolio/')) return Promise.resolve(view as Reply);
      if (target.startsWith('venue/')) return Promise.resolve(venueLines as Reply);
      return Promise.reject(new UnavailableError(`no ${target} here`));
    },
    send: () => undefined,
  };
}

let inputs: ClusterRiskInputs | undefined;
afterEach(() => inputs?.close());

async function balanceOf(view: PortfolioView): Promise<string> {
  inputs = clusterRiskInputs({
    cluster: fakeCluster(view),
    logger: createLogger({ level: 'silent' }),
    metrics: new MetricsRegistry(),
  });
  await inputs.prepare(ACCOUNT);
  const current = inputs;
  const read = () => current.balance(ACCOUNT, PAPER, 'USD')?.toString();
  // The venue's own figure loads on first use (refused as UNAVAILABLE until then).
  for (let attempt = 0; ; attempt++) {
    try {
      return read() ?? 'undefined';
    } catch (error) {
      if (!(error instanceof UnavailableError) || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('pre-trade balances: the funding rule', () => {
  it('an account never funded on a venue is checked against the venue connection, also after its fills', async () => {
    // Its portfolio line (-3,000 USD: the buy's flow) is not what it holds.
    expect(await balanceOf(viewAfterOneBuy([]))).toBe('50000');
  });

  it('an account funded on the venue is checked against its own portfolio balance', async () => {
    expect(await balanceOf(viewAfterOneBuy(['paper']))).toBe('7000');
  });

  it('a view from an older node (no fundedVenues) counts any balance line as funding, as before', async () => {
    expect(await balanceOf(viewAfterOneBuy())).toBe('-3000');
  });
});

describe('pre-trade input polling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A cluster counting requests by kind; `hang` leaves every request unanswered. */
  function countingCluster(hang: boolean): { cluster: VenueRequester; counts: Map<string, number> } {
    const counts = new Map<string, number>();
    const answer = fakeCluster(viewAfterOneBuy(['paper']));
    return {
      counts,
      cluster: {
        request: <Reply, Msg>(target: string, build: (replyTo: ReplyTo<Reply>) => Msg): Promise<Reply> => {
          const kind = target.split('/')[0] ?? target;
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          return hang ? new Promise<Reply>(() => undefined) : answer.request<Reply, Msg>(target, build);
        },
        send: () => undefined,
      },
    };
  }

  const accountIds = Array.from({ length: 100 }, (_, i) =>
    parseAccountId(`00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`),
  );

  it('polls limits every second and balances every 5 s while orders ask, and stops for idle accounts', async () => {
    vi.useFakeTimers();
    const { cluster, counts } = countingCluster(false);
    inputs = clusterRiskInputs({
      cluster,
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
    });
    const current = inputs;
    for (const id of accountIds) await current.prepare(id);
    counts.clear();
    for (let second = 0; second < 10; second += 1) {
      // Half the accounts place an order every second.
      for (const id of accountIds.slice(0, 50)) current.limits(id);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // 100 accounts for 10 s: limits ~10 per account; views every 5 s (they were 1 per second each).
    expect(counts.get('risk') ?? 0).toBeGreaterThanOrEqual(100 * 9);
    expect(counts.get('risk') ?? 0).toBeLessThanOrEqual(100 * 10 + 30);
    expect(counts.get('portfolio') ?? 0).toBeLessThanOrEqual(100 * 2);
    // A minute later only the accounts that kept asking are polled.
    for (let second = 0; second < 65; second += 1) {
      for (const id of accountIds.slice(0, 50)) current.limits(id);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    counts.clear();
    for (const id of accountIds.slice(0, 50)) current.limits(id);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(counts.get('portfolio') ?? 0).toBeLessThanOrEqual(50);
    expect(counts.get('risk') ?? 0).toBeLessThanOrEqual(50 + 3);
    expect(() => current.limits(accountIds[99] ?? ACCOUNT)).toThrow(UnavailableError);
  });

  it('never has more than one poll in flight per account, however slow the cluster', async () => {
    vi.useFakeTimers();
    const { cluster, counts } = countingCluster(true);
    inputs = clusterRiskInputs({
      cluster,
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
    });
    const current = inputs;
    for (const id of accountIds) void current.prepare(id);
    for (let second = 0; second < 10; second += 1) {
      for (const id of accountIds) current.touch(id);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // The first load of each account (limits + view) and of the kill switch, never answered:
    // nothing piles up behind them (before, every tick and touch added a poll per account).
    expect(counts.get('portfolio')).toBe(100);
    expect(counts.get('risk')).toBe(100 + 1);
  });
});

describe('pre-trade mids', () => {
  it('keep the last two-sided mid as the reference while a book is one-sided, for lastMidMaxAgeMs', async () => {
    vi.useFakeTimers();
    const BTC = parseInstrumentId('BTC-USD.PAPER');
    let top: TopOfBookWire = {
      instrumentId: BTC,
      status: 'synced',
      sequence: 1,
      bid: ['99.00', '1'],
      ask: ['101.00', '1'],
    };
    const answer = fakeCluster(viewAfterOneBuy(['paper']));
    const metrics = new MetricsRegistry();
    inputs = clusterRiskInputs({
      cluster: {
        request: <Reply, Msg>(target: string, build: (replyTo: ReplyTo<Reply>) => Msg): Promise<Reply> =>
          target.startsWith('book/')
            ? Promise.resolve(top as Reply)
            : answer.request<Reply, Msg>(target, build),
        send: () => undefined,
      },
      logger: createLogger({ level: 'silent' }),
      metrics,
      lastMidMaxAgeMs: 3_000,
    });
    const current = inputs;
    expect(() => current.mid(BTC)).toThrow(UnavailableError);
    await vi.advanceTimersByTimeAsync(10);
    expect(current.mid(BTC)?.toString()).toBe('100.000');
    // Its asks taken: the last two-sided mid stays the reference for 3 s, then there is none.
    top = { instrumentId: BTC, status: 'synced', sequence: 2, bid: ['99.00', '1'] };
    await vi.advanceTimersByTimeAsync(2_000);
    expect(current.mid(BTC)?.toString()).toBe('100.000');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(current.mid(BTC)).toBeUndefined();
    // Two-sided again: the new mid at the next poll.
    top = { ...top, sequence: 3, ask: ['103.00', '1'] };
    await vi.advanceTimersByTimeAsync(1_000);
    expect(current.mid(BTC)?.toString()).toBe('101.000');
    const counted = await metrics.registry.getSingleMetric('ninja_risk_one_sided_books_total')?.get();
    const outcomes = new Map((counted?.values ?? []).map((v) => [String(v.labels['outcome']), v.value]));
    expect(outcomes.get('last-mid')).toBeGreaterThanOrEqual(2);
    expect(outcomes.get('none')).toBeGreaterThanOrEqual(1);
  });
});
