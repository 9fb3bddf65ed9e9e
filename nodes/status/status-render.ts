// How a status snapshot reads: the lines of the TTY panel, and the fields of the compact log line.
import { shownDecimal } from '../../domain/values/decimal-text.ts';
import type { AccountLine, MarketLine, StatusSnapshot } from './status-snapshot.ts';

/** The "how to connect" part of the panel. */
export interface ConnectInfo {
  readonly grpc: string | undefined;
  readonly http: string;
  readonly credentialsFile: string | undefined;
  /** Where the node's log lines go while the panel owns the terminal. */
  readonly logFile: string | undefined;
}

const UNAVAILABLE = 'unavailable';
/** Where `gekko` client commands look for the gateway unless told (--gateway). */
const DEFAULT_GATEWAY = '127.0.0.1:50051';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function marketText(m: MarketLine): string {
  if (!m.top.ok) return UNAVAILABLE;
  const { bid, ask, status } = m.top.value;
  const price = (level: readonly [string, string] | undefined): string =>
    pad(level === undefined ? '—' : shownDecimal(level[0], 2), 12);
  return `${price(bid)} ${price(ask)} ${status}`;
}

function ordersText(a: AccountLine): string {
  if (!a.orders.ok) return `orders ${UNAVAILABLE}`;
  const o = a.orders.value;
  return `open ${o.open}  placed ${o.placed}  filled ${o.filled}  rejected ${o.rejected}  cancelled ${o.cancelled}  fills ${o.fills}`;
}

function positionsText(a: AccountLine): string[] {
  if (!a.positions.ok) return [`    positions ${UNAVAILABLE}`];
  const { lines, unrealised } = a.positions.value;
  const positions =
    lines.length === 0
      ? ['    no positions']
      : lines.map(
          (p) => `    ${pad(p.instrumentId, 20)} pos ${pad(p.quantity, 14)} realised ${p.realisedPnl}`,
        );
  return [...positions, `    unrealised PnL ${unrealised}`];
}

/** The panel, one string per line (no trailing newline, no escape codes). */
export function renderStatus(s: StatusSnapshot, connect: ConnectInfo): string[] {
  const lines = [
    `Ninja Gekko — ${s.at.toISOString().slice(11, 19)} UTC`,
    '',
    'MARKETS',
    `  ${pad('venue/symbol', 22)} ${pad('bid', 12)} ${pad('ask', 12)} book`,
  ];
  for (const m of s.markets) lines.push(`  ${pad(`${m.venue}/${m.symbol}`, 22)} ${marketText(m)}`);
  lines.push('', 'DEMO ACCOUNTS');
  if (s.accounts.length === 0) lines.push('  (none yet)');
  for (const a of s.accounts) {
    lines.push(`  ${pad(a.label, 10)} ${a.accountId}  ${ordersText(a)}`);
    lines.push(...positionsText(a));
  }
  lines.push('', 'STRATEGIES');
  if (s.strategies.length === 0) lines.push('  (none)');
  for (const st of s.strategies) lines.push(`  ${pad(st.id, 28)} ${pad(st.state, 8)} ${st.detail}`);
  lines.push('', 'CONNECT');
  if (connect.grpc !== undefined) lines.push(`  gRPC      ${connect.grpc}`);
  lines.push(`  HTTP/WS   ${connect.http}  (WebSocket at ${connect.http.replace(/^http/, 'ws')}/ws)`);
  if (connect.credentialsFile !== undefined)
    lines.push(`  operator  ${connect.credentialsFile} (API key, mode 0600)`);
  const first = s.accounts[0];
  // The client commands find the operator's key by gateway address; the default needs no flag.
  const gateway =
    connect.grpc === undefined || connect.grpc === DEFAULT_GATEWAY ? '' : ` --gateway ${connect.grpc}`;
  lines.push(
    `  try       npx gekko orders list --account ${first === undefined ? '<accountId>' : first.accountId}${gateway}`,
  );
  lines.push(`            npx gekko positions --account <accountId>${gateway}   (Ctrl-C stops the node)`);
  if (connect.logFile !== undefined) lines.push(`  logs      ${connect.logFile}`);
  return lines;
}

/** The fields of the compact status log line (no TTY): totals, and what is unavailable. */
export function summariseStatus(s: StatusSnapshot): Record<string, unknown> {
  let open = 0;
  let placed = 0;
  let fills = 0;
  let rejected = 0;
  const unavailable: string[] = [];
  for (const m of s.markets) if (!m.top.ok) unavailable.push(`book/${m.venue}/${m.symbol}`);
  for (const a of s.accounts) {
    if (a.orders.ok) {
      open += a.orders.value.open;
      placed += a.orders.value.placed;
      fills += a.orders.value.fills;
      rejected += a.orders.value.rejected;
    } else unavailable.push(`orders/${a.accountId}`);
    if (!a.positions.ok) unavailable.push(`portfolio/${a.accountId}`);
  }
  const mids = Object.fromEntries(
    s.markets.flatMap((m) =>
      m.top.ok && m.top.value.bid !== undefined && m.top.value.ask !== undefined
        ? [[`${m.venue}/${m.symbol}`, `${m.top.value.bid[0]}/${m.top.value.ask[0]}`]]
        : [],
    ),
  );
  const failed = s.strategies.filter((st) => st.state === 'FAILED').map((st) => st.id);
  return { markets: mids, orders: { open, placed, rejected }, fills, failedStrategies: failed, unavailable };
}
