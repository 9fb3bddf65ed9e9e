import type { MatchingEngine } from '../../../paper/index.ts';
import type { FaultInjector } from '../../faults.ts';
import type { MarginAccount } from '../account.ts';
import type { SimInstrument } from './instruments.ts';
import type { TransactionLog } from './transaction-log.ts';

/** Everything the OANDA simulator's routes and streams share. */
export interface OandaSimState {
  readonly engine: MatchingEngine;
  readonly instruments: ReadonlyMap<string, SimInstrument>;
  readonly token: string;
  readonly accountId: string;
  readonly account: MarginAccount;
  readonly log: TransactionLog;
  readonly faults: FaultInjector;
  /** Instruments whose market is halted (market orders are cancelled with MARKET_HALTED). */
  readonly halted: Set<string>;
  /** How many orders were created per client order id (tests assert at most one). */
  readonly accepted: Map<string, number>;
  /** The venue's clock: real time plus the injected skew. */
  now(): number;
}
