import { FixedDecimal } from '../../../../domain/values/index.ts';
import type { PaperBookEvent, PaperOrderEvent, PaperTradeEvent } from '../../../paper/index.ts';
import type { Balance } from '../../../paper/index.ts';
import { wire } from '../common/instruments.ts';
import type { WireOrderType } from '../common/format.ts';

const ZERO = '0.00000000';

/** `<symbol>@trade` payload (web-socket-streams.md). */
export function tradePayload(e: PaperTradeEvent): Record<string, unknown> {
  return {
    e: 'trade',
    E: e.time,
    s: e.instrumentId,
    t: Number(e.tradeId),
    p: wire(e.price),
    q: wire(e.quantity),
    b: Number(e.buyerOrderId),
    a: Number(e.sellerOrderId),
    T: e.time,
    m: e.takerSide === 'SELL',
    M: true,
  };
}

/** `<symbol>@aggTrade` payload: one engine trade per aggregate. */
export function aggTradePayload(e: PaperTradeEvent): Record<string, unknown> {
  const id = Number(e.tradeId);
  return {
    e: 'aggTrade',
    E: e.time,
    s: e.instrumentId,
    a: id,
    p: wire(e.price),
    q: wire(e.quantity),
    f: id,
    l: id,
    T: e.time,
    m: e.takerSide === 'SELL',
    M: true,
  };
}

/** `<symbol>@depth` diff payload with the given U/u. */
export function depthPayload(e: PaperBookEvent, first: number, last: number): Record<string, unknown> {
  return {
    e: 'depthUpdate',
    E: e.time,
    s: e.instrumentId,
    U: first,
    u: last,
    b: e.bids.map(([p, q]) => [wire(p), wire(q)]),
    a: e.asks.map(([p, q]) => [wire(p), wire(q)]),
  };
}

export interface ReportContext {
  readonly type: WireOrderType;
  readonly cancelClientId: string | undefined;
}

/** `executionReport` (user-data-stream.md). */
export function executionReport(e: PaperOrderEvent, ctx: ReportContext): Record<string, unknown> {
  const o = e.order;
  const fill = e.fill;
  const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
  const cancelled = e.execution === 'CANCELED';
  return {
    e: 'executionReport',
    E: e.time,
    s: o.instrumentId,
    c: cancelled ? (ctx.cancelClientId ?? o.clientOrderId) : o.clientOrderId,
    S: o.side,
    o: ctx.type,
    f: o.timeInForce,
    q: wire(o.quantity),
    p: o.price === undefined ? ZERO : wire(o.price),
    P: o.stopPrice === undefined ? ZERO : wire(o.stopPrice),
    F: ZERO,
    g: -1,
    C: cancelled ? o.clientOrderId : '',
    x: e.execution,
    X: o.status,
    r: 'NONE',
    i: Number(o.orderId),
    l: fill === undefined ? ZERO : wire(fill.quantity),
    z: wire(o.filledQuantity),
    L: fill === undefined ? ZERO : wire(fill.price),
    n: fill === undefined ? '0' : wire(fill.fee),
    N: fill === undefined ? null : fill.feeAsset,
    T: e.time,
    t: fill === undefined ? -1 : Number(fill.tradeId),
    I: 0,
    w: open && o.triggered && o.type !== 'MARKET',
    m: fill?.liquidity === 'MAKER',
    M: false,
    O: o.createdAt,
    Z: wire(o.cumulativeQuote),
    Y: fill === undefined ? ZERO : wire(FixedDecimal.from(fill.price.mul(fill.quantity))),
    Q: o.quoteQuantity === undefined ? ZERO : wire(o.quoteQuantity),
    W: o.createdAt,
    V: 'NONE',
  };
}

export function accountPosition(time: number, balances: readonly Balance[]): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition',
    E: time,
    u: time,
    B: balances.map((b) => ({ a: b.asset, f: wire(b.free), l: wire(b.locked) })),
  };
}

export function balanceUpdate(time: number, asset: string, delta: FixedDecimal): Record<string, unknown> {
  return { e: 'balanceUpdate', E: time, a: asset, d: wire(delta), T: time };
}
