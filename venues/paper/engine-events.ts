import type { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { BookLevel } from './commands.ts';
import type { ExecutionType, PaperOrderSide } from './order-enums.ts';
import type { PaperFill, PaperOrder } from './paper-order.ts';

/**
 * What the engine tells subscribers. Every event carries `sequence`, increasing by one per event
 * delivered by the engine (engine-wide), and `time` from the engine clock. Events of one command are
 * delivered after the command has completed, in this order: order and trade events as they happened,
 * then balance events (final value of every balance the command changed), then one book event per
 * instrument whose levels changed. A refused command changes nothing and emits nothing. Events are
 * built only while someone is subscribed, and `sequence` counts the events delivered.
 */
export type EngineEvent = PaperOrderEvent | PaperTradeEvent | PaperBookEvent | PaperBalanceEvent;

interface EventBase {
  readonly sequence: bigint;
  readonly time: number;
}

export interface PaperOrderEvent extends EventBase {
  readonly kind: 'order';
  readonly accountId: string;
  /** The order after this execution. */
  readonly order: PaperOrder;
  readonly execution: ExecutionType;
  /** Present when execution is TRADE. */
  readonly fill?: PaperFill | undefined;
}

export interface PaperTradeEvent extends EventBase {
  readonly kind: 'trade';
  readonly instrumentId: string;
  readonly tradeId: bigint;
  readonly price: Price;
  readonly quantity: Quantity;
  readonly takerSide: PaperOrderSide;
  readonly buyerOrderId: string;
  readonly sellerOrderId: string;
  /** The instrument's book sequence after the maker's level changed for this trade. */
  readonly bookSequence: bigint;
}

/**
 * Diff-depth update: each changed level with its new total quantity (zero: the level is gone).
 * Book sequences count level changes; an event covers `firstSequence..lastSequence` with no gap to the
 * previous event of the instrument, so a consumer holding a snapshot with sequence S applies the
 * events with lastSequence > S, the first of which has firstSequence ≤ S + 1.
 */
export interface PaperBookEvent extends EventBase {
  readonly kind: 'book';
  readonly instrumentId: string;
  readonly firstSequence: bigint;
  readonly lastSequence: bigint;
  /** Best first. */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface PaperBalanceEvent extends EventBase {
  readonly kind: 'balance';
  readonly accountId: string;
  readonly asset: string;
  readonly free: FixedDecimal;
  readonly locked: FixedDecimal;
}

export type EngineListener = (event: EngineEvent) => void;
