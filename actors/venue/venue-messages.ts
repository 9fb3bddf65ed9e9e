import type { ReplyTo } from '../kernel/index.ts';
import type {
  BalanceWire,
  BookWire,
  ExecutionEventWire,
  MarketDataWire,
  OrderRefWire,
  OrderRequestWire,
  OrderSnapshotWire,
  PlacementWire,
  FillWire,
} from './venue-wire.ts';
import type { VenueInstrumentsWire } from './instrument-wire.ts';

/** Where the venue actor stands with its connection. */
export const VenueConnectionState = {
  connecting: 'connecting',
  connected: 'connected',
  closed: 'closed',
} as const;
export type VenueConnectionState = (typeof VenueConnectionState)[keyof typeof VenueConnectionState];

export interface VenueStatus {
  readonly venue: string;
  readonly connection: VenueConnectionState;
  /** cockatiel circuit: closed, open, half-open or isolated. */
  readonly circuit: string;
  readonly connectAttempts: number;
  readonly marketDataSubscribers: number;
  readonly executionSubscribers: number;
  readonly instruments: readonly string[];
}

/**
 * What `venue/<venue>` accepts. Requests carry `replyTo`; failures come back as domain errors
 * (UNAVAILABLE while connecting or while the circuit is open, the connector's errors otherwise).
 */
export type VenueCommand =
  | { readonly type: 'venue-start' }
  | { readonly type: 'venue-status'; readonly replyTo: ReplyTo<VenueStatus> }
  | {
      readonly type: 'place-order';
      readonly request: OrderRequestWire;
      readonly replyTo: ReplyTo<PlacementWire>;
    }
  | {
      readonly type: 'cancel-order';
      readonly ref: OrderRefWire;
      readonly replyTo: ReplyTo<OrderSnapshotWire>;
    }
  | {
      readonly type: 'get-order';
      readonly ref: OrderRefWire;
      /** `null` when the venue has never received the order. */
      readonly replyTo: ReplyTo<OrderSnapshotWire | null>;
    }
  | {
      readonly type: 'open-orders';
      readonly instrumentId?: string;
      readonly replyTo: ReplyTo<readonly OrderSnapshotWire[]>;
    }
  | {
      readonly type: 'order-fills';
      readonly ref: OrderRefWire;
      readonly replyTo: ReplyTo<readonly FillWire[]>;
    }
  | { readonly type: 'balances'; readonly replyTo: ReplyTo<readonly BalanceWire[]> }
  /** The venue's instruments and capabilities; UNAVAILABLE until the connector has loaded them. */
  | { readonly type: 'venue-instruments'; readonly replyTo: ReplyTo<VenueInstrumentsWire> }
  | {
      readonly type: 'book-snapshot';
      readonly instrumentId: string;
      readonly depth: number;
      readonly replyTo: ReplyTo<BookWire>;
    }
  /**
   * Sends the instrument's market data to `subscriber` (an identity) as `market-data` messages,
   * starting with a snapshot. Idempotent; `fresh` restarts the subscription (a new snapshot).
   */
  | {
      readonly type: 'subscribe-market-data';
      readonly instrumentId: string;
      readonly subscriber: string;
      readonly fresh?: boolean;
    }
  | { readonly type: 'unsubscribe-market-data'; readonly instrumentId: string; readonly subscriber: string }
  /** Sends every execution event to `subscriber` (an identity) as `venue-execution` messages. */
  | { readonly type: 'subscribe-executions'; readonly subscriber: string }
  | { readonly type: 'unsubscribe-executions'; readonly subscriber: string }
  /** Internal: a connection attempt of this activation finished. */
  | { readonly type: 'venue-connected'; readonly attempt: number }
  | { readonly type: 'venue-connect-failed'; readonly attempt: number; readonly error: string };

export const VENUE_COMMAND_TYPES: readonly VenueCommand['type'][] = [
  'venue-start',
  'venue-status',
  'place-order',
  'cancel-order',
  'get-order',
  'open-orders',
  'order-fills',
  'balances',
  'venue-instruments',
  'book-snapshot',
  'subscribe-market-data',
  'unsubscribe-market-data',
  'subscribe-executions',
  'unsubscribe-executions',
];

/** What a market-data subscriber receives. */
export interface MarketDataMessage {
  readonly type: 'market-data';
  readonly venue: string;
  readonly event: MarketDataWire;
}

/** What an execution subscriber receives. */
export interface VenueExecutionMessage {
  readonly type: 'venue-execution';
  readonly venue: string;
  readonly event: ExecutionEventWire;
}
