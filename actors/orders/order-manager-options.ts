import type {
  AccountId,
  FixedDecimal,
  InstrumentId,
  OrderId,
  PortfolioFill,
  Price,
  RiskLimits,
  VenueId,
} from '../../domain/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';
import type { VenueAccess } from './venue-access.ts';
import type { OrderHistoryStore } from './order-history-store.ts';
import type { RecentOrderFills } from './journaled-order-fills.ts';

/** What the pre-trade checks read, per account; supplied by the risk and portfolio side. */
export interface OrderManagerRiskInputs {
  limits(accountId: AccountId): RiskLimits;
  clusterKillSwitch(): boolean;
  /** Current mid of an instrument, when a book knows it. */
  mid(instrumentId: InstrumentId): Price | undefined;
  /** The account's balance of `asset` on `venue` before open orders; undefined when unknown. */
  balance(accountId: AccountId, venue: VenueId, asset: string): FixedDecimal | undefined;
}

/** What to do with an open venue order this account has no record of. */
export type UnknownOrderPolicy = 'adopt' | 'cancel';

export interface OrderManagerOptions {
  readonly venues: VenueAccess;
  readonly risk: OrderManagerRiskInputs;
  readonly metrics: MetricsRegistry;
  /** Epoch milliseconds; default Date.now. */
  readonly clock?: () => number;
  /** Default: random UUIDs. */
  readonly newOrderId?: () => OrderId;
  /** A placement unanswered this long is resolved by querying the venue. Default 5,000 ms. */
  readonly ackTimeoutMs?: number;
  /** Period of the background reconciliation; 0 turns it off. Default 30,000 ms. */
  readonly reconcileEveryMs?: number;
  /** Default `adopt`: a manual order keeps working and becomes visible; `cancel` removes it. */
  readonly unknownOrders?: UnknownOrderPolicy;
  /** Called when an activation starts (e.g. to load the account's pre-trade inputs). */
  readonly onActivate?: (accountId: AccountId) => void;
  /** Called once per fill after it is journaled (e.g. to feed `portfolio/<accountId>`). */
  readonly onFill?: (accountId: AccountId, fill: PortfolioFill) => void;
  /** Default 1,000 events (a snapshot holds every retained order, so it is not small). */
  readonly snapshotEvery?: number;
  /**
   * Finished orders kept in the state per account, most recently finished first (default 1,000):
   * GetOrder, ListOrders and repeats of a client order id see open orders and these. Older ones
   * stay in the journal only, so the state, its snapshots and its scans stay bounded.
   */
  readonly retainFinishedOrders?: number;
  /**
   * Where finished orders beyond `retainFinishedOrders` go before they leave memory (migration 0004),
   * making client order id idempotency permanent and GetOrder serve them. Without it they are kept
   * in the journal only and a reused old client order id starts a new order.
   */
  readonly history?: OrderHistoryStore;
  /**
   * Where an activation reads the fills it re-publishes to `onFill` (`pgRecentOrderFills`: the
   * journal). Without it they are read back from the venue, one request per recent order.
   */
  readonly recentFills?: RecentOrderFills;
  /**
   * Default true: commands are decided while earlier events are being written (pipelined journal
   * writes, see docs/persistence.md). False: each command waits for its own append (benchmarks
   * compare the two).
   */
  readonly pipelinedJournal?: boolean;
}
