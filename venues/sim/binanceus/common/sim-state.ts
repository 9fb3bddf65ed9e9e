import type { MatchingEngine, PaperFill, PaperOrder } from '../../../paper/index.ts';
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
  /** The Binance order type each engine order id was placed as. */
  readonly orderTypes: Map<string, WireOrderType>;
  /** How many orders the engine accepted per `account|clientOrderId` (tests assert at most one). */
  readonly accepted: Map<string, number>;
  /** The cancel request's client id per engine order id, for executionReport `c` / `C`. */
  readonly cancelIds: Map<string, string>;
  /** Fills per `account|orderId`, for `GET /api/v3/myTrades` (the engine keeps no per-order fills). */
  readonly fills: Map<string, PaperFill[]>;
  /**
   * Orders the venue expired at once without the engine holding them (FOK that cannot fill, MARKET
   * into an empty book), by `account|orderId` and `account|clientOrderId`, so queries find them.
   */
  readonly expiredAtOnce: Map<string, PaperOrder>;
  /** Sends NEW then EXPIRED execution reports for such an order (set once the stream hub exists). */
  reportExpiredAtOnce: (order: PaperOrder, type: WireOrderType) => void;
  /** Extra update ids added per symbol by injected sequence gaps. */
  readonly idOffsets: Map<string, bigint>;
}

export function updateId(state: BinanceSimState, symbol: string, sequence: bigint): number {
  return Number(sequence + (state.idOffsets.get(symbol) ?? 0n));
}
