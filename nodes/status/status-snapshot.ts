// What the status panel shows, gathered from the actors by request, each with a short timeout: a
// source that fails or is slow is shown as unavailable, never fails the panel.
import type { TopOfBookWire } from '../../actors/book/index.ts';
import type { BookCommand } from '../../actors/book/index.ts';
import { OrdersRequest } from '../../actors/orders/index.ts';
import { PortfolioRequest } from '../../actors/portfolio/index.ts';
import { midOf } from '../../actors/strategy/market-maker-quotes.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import { OrderStatus, Price, isTerminalOrderStatus } from '../../domain/index.ts';
import type { InstrumentId, Order, PortfolioLedger } from '../../domain/index.ts';

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

/** The mid of a two-sided top of book; undefined when one side is missing or the book is crossed. */
export function midOfTop(top: TopOfBookWire): Price | undefined {
  if (top.bid === undefined || top.ask === undefined) return undefined;
  const bid = Price.parse(top.bid[0], 'top.bid');
  const ask = Price.parse(top.ask[0], 'top.ask');
  return bid.lt(ask) ? midOf(bid, ask) : undefined;
}

function positionsOf(
  ledger: PortfolioLedger,
  mids: ReadonlyMap<string, Price>,
): { lines: PositionLine[]; unrealised: string } {
  const lines = ledger
    .positions()
    .filter((p) => !p.quantity.isZero() || !p.realisedPnl.isZero())
    .map((p) => ({
      instrumentId: p.instrument.id,
      quantity: p.quantity.toString(),
      realisedPnl: `${p.realisedPnl.toString()} ${p.realisedPnl.currency}`,
    }));
  const unrealised = ledger.unrealisedPnl((id: InstrumentId) => mids.get(id));
  const parts = [...unrealised.byCurrency.values()].map((m) => `${m.toFixed(2)} ${m.currency}`);
  if (unrealised.unmarked.length > 0) parts.push(`${unrealised.unmarked.length} unmarked`);
  return { lines, unrealised: parts.length === 0 ? '—' : parts.join(', ') };
}

/** Reads every source once, in parallel. */
export async function readStatus(sources: StatusSources): Promise<StatusSnapshot> {
  const timeoutMs = sources.timeoutMs ?? 500;
  const { cluster } = sources;
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
  const mids = new Map<string, Price>();
  for (const m of markets) {
    if (!m.top.ok) continue;
    const mid = midOfTop(m.top.value);
    if (mid !== undefined) mids.set(m.top.value.instrumentId, mid);
  }
  const accounts = await Promise.all(
    sources.accounts().map(async (a) => ({
      label: a.label,
      accountId: a.accountId,
      orders: await sourced(async () =>
        countOrders(await cluster.request(`orders/${a.accountId}`, OrdersRequest.list(), { timeoutMs })),
      ),
      positions: await sourced(async () =>
        positionsOf(
          await cluster.request(`portfolio/${a.accountId}`, PortfolioRequest.get(), { timeoutMs }),
          mids,
        ),
      ),
    })),
  );
  return { at: new Date(), markets, accounts, strategies: sources.strategies() };
}
