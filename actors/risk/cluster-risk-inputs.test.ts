import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError, emptyRiskLimits, parseAccountId, parseVenueId } from '../../domain/index.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import type { VenueRequester } from '../orders/cluster-venue-access.ts';
import type { PortfolioView } from '../portfolio/portfolio-wire.ts';
import type { BalanceWire } from '../venue/venue-wire.ts';
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
