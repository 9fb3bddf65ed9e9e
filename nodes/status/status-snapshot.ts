// What the status panel shows, gathered from the actors by request, each with a short timeout: a
// source that fails or is slow is shown as unavailable, never fails the panel.
import type { TopOfBookWire } from '../../actors/book/index.ts';
import type { BookCommand } from '../../actors/book/index.ts';
import type { PortfolioView } from '../../actors/portfolio/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import { FixedDecimal, OrderStatus, isTerminalOrderStatus } from '../../domain/index.ts';
import { RoundingMode } from '../../domain/values/index.ts';
import { shownDecimal } from '../../domain/values/decimal-text.ts';
import type { Order } from '../../domain/index.ts';
import { listOrders, portfolioOf } from '../trading.ts';

/** A value, or why it could not be read. */
export type Sourced<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface MarketLine {
  readonly venue: string;
  readonly symbol: string;
  readonly top: Sourced<TopOfBookWire>;
}

export interface OrderCounts {
  readonly open: number;
  readonly placed: number;
  readonly filled: number;
  readonly rejected: number;
  readonly cancelled: number;
  /** Fills applied over every order (trade ids). */
  readonly fills: number;
}

export interface PositionLine {
  readonly instrumentId: string;
  readonly quantity: string;
  readonly realisedPnl: string;
}

export interface AccountLine {
  readonly label: string;
  readonly accountId: string;
  readonly orders: Sourced<OrderCounts>;
  readonly positions: Sourced<{
    readonly lines: readonly PositionLine[];
    /** Unrealised PnL per quote currency, marked to the books' mids ("—" when none is known). */
    readonly unrealised: string;
  }>;
}

/** A strategy as the panel reports it (running, or FAILED with why). */
export interface StrategyLine {
  readonly id: string;
  readonly state: string;
  readonly detail: string;
}

export interface StatusSnapshot {
  readonly at: Date;
  readonly markets: readonly MarketLine[];
  readonly accounts: readonly AccountLine[];
  readonly strategies: readonly StrategyLine[];
}

export interface StatusSources {
  readonly cluster: ClusterNode;
  readonly markets: readonly { readonly venue: string; readonly symbol: string }[];
  /** Accounts to report (the demo accounts); empty until they exist. */
  readonly accounts: () => readonly { readonly label: string; readonly accountId: string }[];
  readonly strategies: () => readonly StrategyLine[];
  /** Per request. Default 500 ms. */
  readonly timeoutMs?: number;
}

async function sourced<T>(read: () => Promise<T>): Promise<Sourced<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Counts of an account's orders by what happened to them. */
export function countOrders(orders: readonly Order[]): OrderCounts {
  let open = 0;
  let filled = 0;
  let rejected = 0;
  let cancelled = 0;
  let fills = 0;
  for (const order of orders) {
    fills += order.tradeIds.length;
    if (!isTerminalOrderStatus(order.status)) open += 1;
    else if (order.status === OrderStatus.FILLED) filled += 1;
    else if (order.status === OrderStatus.REJECTED) rejected += 1;
    else cancelled += 1;
  }
  return { open, placed: orders.length, filled, rejected, cancelled, fills };
}

/** Currencies the panel shows to the cent; others (crypto assets) to 8 decimals. */
const CENT_CURRENCIES = new Set(['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'USDT', 'USDC']);

/**
 * An amount as the panel shows it: rounded (half-even) to the cent for fiat and stablecoins, to 8
 * decimals otherwise, e.g. `0.27 USD` for an exact `0.2667012800000000`. Display only: the exact
 * figures are what `gekko pnl --json` and the API answer.
 */
export function shownMoney(money: { readonly amount: string; readonly currency: string }): string {
  const decimals = CENT_CURRENCIES.has(money.currency) ? 2 : 8;
  const exact = FixedDecimal.parse(money.amount, 'amount');
  return `${exact.toFixed(decimals, RoundingMode.HALF_EVEN)} ${money.currency}`;
}

function positionsOf(view: PortfolioView): { lines: PositionLine[]; unrealised: string } {
  const lines = view.positions
    .filter(
      (p) => !FixedDecimal.parse(p.quantity).isZero() || !FixedDecimal.parse(p.realisedPnl.amount).isZero(),
    )
    .map((p) => ({
      instrumentId: p.instrumentId,
      quantity: shownDecimal(p.quantity),
      realisedPnl: shownMoney(p.realisedPnl),
    }));
  const parts = view.unrealisedPnl.map(shownMoney);
  if (view.unmarked.length > 0) parts.push(`${view.unmarked.length} unmarked`);
  return { lines, unrealised: parts.length === 0 ? '—' : parts.join(', ') };
}

/** Reads every source once, in parallel. */
export async function readStatus(sources: StatusSources): Promise<StatusSnapshot> {
  const timeoutMs = sources.timeoutMs ?? 500;
  const { cluster } = sources;
  const call = { timeoutMs, retries: 0 };
  const markets = await Promise.all(
    sources.markets.map(async (m) => ({
      venue: m.venue,
      symbol: m.symbol,
      top: await sourced(() =>
        cluster.request<TopOfBookWire, BookCommand>(
          `book/${m.venue}/${m.symbol}`,
          (replyTo) => ({ type: 'get-top', replyTo }),
          {
            timeoutMs,
          },
        ),
      ),
    })),
  );
  const accounts = await Promise.all(
    sources.accounts().map(async (a) => ({
      label: a.label,
      accountId: a.accountId,
      orders: await sourced(async () => countOrders(await listOrders(cluster, a.accountId, call))),
      positions: await sourced(async () => positionsOf(await portfolioOf(cluster, a.accountId, call))),
    })),
  );
  return { at: new Date(), markets, accounts, strategies: sources.strategies() };
}
