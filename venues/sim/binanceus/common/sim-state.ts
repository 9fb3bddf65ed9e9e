import type { MatchingEngine, PaperOrder } from '../../../paper/index.ts';
import type { CompactFill } from '../../compact-fill.ts';
import type { ExpiredAtOnceOrders } from './expired-at-once.ts';
import type { FaultInjector } from '../../faults.ts';
import type { SimAccountKey } from './auth.ts';
import type { WireOrderType } from './format.ts';
import type { SimSymbol } from './instruments.ts';

/** Everything the Binance.US simulator's routes and streams share. */
export interface BinanceSimState {
  readonly engine: MatchingEngine;
  readonly symbols: ReadonlyMap<string, SimSymbol>;
  readonly keys: ReadonlyMap<string, SimAccountKey>;
  readonly faults: FaultInjector;
  /** The venue's clock: real time plus the injected skew. */
  now(): number;
  // The per-order maps below hold the orders placed through the API (not the generated flow's), and
  // each entry only while the order can still be found: `forgetOrder` drops it when the engine (or
  // `expiredAtOnce`) forgets the order, so they are bounded by the engine's retention window.
  /** The Binance order type each order id was placed as (set for every order placed through the API). */
  readonly orderTypes: Map<string, WireOrderType>;
  /**
   * How many orders still known to the venue were accepted per `account|clientOrderId` (tests
   * assert at most one).
   */
  readonly accepted: Map<string, number>;
  /** The cancel request's client id per engine order id, for executionReport `c` / `C`. */
  readonly cancelIds: Map<string, string>;
  /** Fills per `account|orderId`, for `GET /api/v3/myTrades` (the engine keeps no per-order fills). */
  readonly fills: Map<string, CompactFill[]>;
  /** Orders the venue expired at once without the engine holding them, so queries find them. */
  readonly expiredAtOnce: ExpiredAtOnceOrders;
  /** Sends NEW then EXPIRED execution reports for such an order (set once the stream hub exists). */
  reportExpiredAtOnce: (order: PaperOrder, type: WireOrderType) => void;
  /** Extra update ids added per symbol by injected sequence gaps. */
  readonly idOffsets: Map<string, bigint>;
}

/**
 * Drops what the simulator keeps about an order it no longer finds (told by the engine's `onForget`,
 * or dropped from `expiredAtOnce`). The simulator's windows assume that an order closed in a command
 * is not forgotten in that same command (true while the engine retains more closed orders than one
 * command can close), so that its events, delivered after the command, do not add entries back.
 */
export function forgetOrder(
  state: BinanceSimState,
  order: { readonly accountId: string; readonly orderId: string; readonly clientOrderId: string },
): void {
  state.cancelIds.delete(order.orderId);
  state.fills.delete(`${order.accountId}|${order.orderId}`);
  // Only orders placed through the API were counted (they alone have a type recorded).
  if (!state.orderTypes.delete(order.orderId)) return;
  const key = `${order.accountId}|${order.clientOrderId}`;
  const count = state.accepted.get(key) ?? 0;
  if (count > 1) state.accepted.set(key, count - 1);
  else state.accepted.delete(key);
}

export function updateId(state: BinanceSimState, symbol: string, sequence: bigint): number {
  return Number(sequence + (state.idOffsets.get(symbol) ?? 0n));
}
