import { InvalidArgumentError } from '../../domain/errors.ts';
import { MAX_PRECISION } from '../../domain/values/index.ts';
import type { FixedDecimal } from '../../domain/values/index.ts';
import type { InstrumentRules, PaperInstrument } from './paper-instrument.ts';
import { pow10 } from './paper-instrument.ts';
import type { EngineEvent } from './engine-events.ts';

export interface MatchingEngineOptions {
  readonly instruments: readonly PaperInstrument[];
  /** Fraction of the amount received charged to the resting order, 0 ≤ rate < 1, e.g. 0.001. */
  readonly makerFeeRate: FixedDecimal;
  /** Fraction of the amount received charged to the incoming order, 0 ≤ rate < 1. */
  readonly takerFeeRate: FixedDecimal;
  /** Milliseconds; read once per command. */
  readonly clock: () => number | bigint;
  /** Seeds `engine.random` for code built on the engine (simulators); matching itself uses no randomness. */
  readonly seed?: number;
  /**
   * Closed orders stay queryable by getOrder/cancel until this many later orders have closed (the
   * last `retainClosedOrders` closed orders are kept, first closed first forgotten); default 10,000.
   */
  readonly retainClosedOrders?: number;
  /**
   * Accounts whose closed orders are kept only for a short window of their last `closedOrders` (default
   * 1,024) instead of `retainClosedOrders`: a generated market flow's accounts, whose closed orders
   * nobody looks up, so that they neither push clients' closed orders out of the long window nor
   * keep thousands of order records alive. Their open orders are unaffected.
   */
  readonly briefRetention?: BriefRetention;
  /** Trades kept per instrument for `trades()`; default 1,000. */
  readonly recentTradesLimit?: number;
  /**
   * Called when a subscriber throws. By default the first error is rethrown by the engine call that
   * produced the event, after the command has been applied and every event delivered.
   */
  readonly onListenerError?: (error: unknown, event: EngineEvent) => void;
  /**
   * Told of each closed order the engine forgets (a later closed order took its place in the
   * retention window), except those of `briefRetention` accounts: code built on the engine drops
   * what it keeps per order then, so it keeps it exactly as long as the engine can still find the
   * order. Called during the command that closed the later order; it must not call the engine.
   */
  readonly onForget?: (order: ForgottenOrder) => void;
}

/** A closed order the engine no longer finds (`onForget`). */
export interface ForgottenOrder {
  readonly accountId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
}

export interface BriefRetention {
  readonly accountIds: readonly string[];
  readonly closedOrders?: number;
}

/** Fee rates as raw integers at one common precision. */
export interface FeeRates {
  readonly precision: number;
  readonly maker: bigint;
  readonly taker: bigint;
}

export function feeRates(maker: FixedDecimal, taker: FixedDecimal): FeeRates {
  for (const [field, rate] of [
    ['makerFeeRate', maker],
    ['takerFeeRate', taker],
  ] as const) {
    if (typeof rate?.raw !== 'bigint') throw new InvalidArgumentError(field, 'must be a FixedDecimal');
    if (rate.raw < 0n || rate.raw >= pow10(rate.precision)) {
      throw new InvalidArgumentError(field, `must be at least 0 and below 1, got ${rate.toString()}`);
    }
  }
  const precision = Math.max(maker.precision, taker.precision);
  return {
    precision,
    maker: maker.raw * pow10(precision - maker.precision),
    taker: taker.raw * pow10(precision - taker.precision),
  };
}

/**
 * The ledger precision of every asset: enough decimals for exact fills and exact fees on every
 * instrument that uses it (base: quantity + fee-rate decimals; quote: price + quantity + fee-rate
 * decimals), capped at MAX_PRECISION, beyond which fees are rounded half to even.
 */
export function ledgerPrecisions(
  rules: readonly InstrumentRules[],
  feePrecision: number,
): Map<string, number> {
  const precisions = new Map<string, number>();
  const need = (asset: string, precision: number): void => {
    const capped = Math.min(precision, MAX_PRECISION);
    precisions.set(asset, Math.max(precisions.get(asset) ?? 0, capped));
  };
  for (const r of rules) {
    need(r.base, r.quantityPrecision + feePrecision);
    need(r.quote, r.notionalPrecision + feePrecision);
  }
  return precisions;
}

export function readClock(clock: () => number | bigint): number {
  const value = clock();
  const time = typeof value === 'bigint' ? Number(value) : value;
  if (!Number.isFinite(time))
    throw new InvalidArgumentError('clock', `returned ${String(value)}, not a time`);
  return time;
}
