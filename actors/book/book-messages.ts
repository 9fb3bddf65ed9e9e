import type { ActorRef, ReplyTo } from '../kernel/index.ts';
import type { MarketDataMessage } from '../venue/venue-messages.ts';
import type { BookWire, LevelWire, MarketDataWire } from '../venue/venue-wire.ts';

/** `empty` before the first snapshot, `synced` while deltas apply, `stale` from a gap until the next snapshot. */
export const BookStatus = { empty: 'empty', synced: 'synced', stale: 'stale' } as const;
export type BookStatus = (typeof BookStatus)[keyof typeof BookStatus];

export interface BookView extends BookWire {
  readonly status: BookStatus;
}

export interface TopOfBookWire {
  readonly instrumentId: string;
  readonly status: BookStatus;
  readonly sequence: number;
  readonly bid?: LevelWire;
  readonly ask?: LevelWire;
}

/** A public trade of the book's instrument, as the venue reported it (decimals as text). */
export type TradeWire = Omit<Extract<MarketDataWire, { readonly kind: 'trade' }>, 'kind'>;

/**
 * What a subscriber of `book/<venue>/<symbol>` receives. Besides the book, the book actor forwards
 * the public trades of its venue market data (`trade`), so one subscription serves book and trade
 * streams; trades do not change the book or its sequence.
 */
export interface BookUpdate {
  readonly type: 'book-update';
  /** The book's identity. */
  readonly book: string;
  readonly update:
    | { readonly kind: 'snapshot'; readonly book: BookWire }
    | { readonly kind: 'delta'; readonly delta: BookWire }
    | { readonly kind: 'top'; readonly top: TopOfBookWire }
    | { readonly kind: 'stale'; readonly reason: string }
    | { readonly kind: 'trade'; readonly trade: TradeWire };
}

/**
 * What `book/<venue>/<symbol>` accepts. Subscribers are identities (any node) or local refs (this
 * node only, death-watched: a subscriber that stops is removed).
 */
export type BookCommand =
  | { readonly type: 'book-start' }
  | { readonly type: 'get-book'; readonly depth?: number; readonly replyTo: ReplyTo<BookView> }
  | { readonly type: 'get-top'; readonly replyTo: ReplyTo<TopOfBookWire> }
  | { readonly type: 'subscribe-book'; readonly subscriber: string }
  | { readonly type: 'unsubscribe-book'; readonly subscriber: string }
  | { readonly type: 'subscribe-book-local'; readonly ref: ActorRef<BookUpdate> }
  | { readonly type: 'unsubscribe-book-local'; readonly ref: ActorRef<BookUpdate> }
  | MarketDataMessage
  /** Internal: re-asserts the market data subscription at the venue actor. */
  | { readonly type: 'book-resubscribe' }
  /** Internal (death watch): a local subscriber stopped. */
  | { readonly type: 'book-subscriber-stopped'; readonly identity: string };

/** Types accepted from other nodes (local refs and internal timers never travel). */
export const BOOK_COMMAND_TYPES: readonly BookCommand['type'][] = [
  'book-start',
  'get-book',
  'get-top',
  'subscribe-book',
  'unsubscribe-book',
  'market-data',
];
