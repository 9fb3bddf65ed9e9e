import type { ClientOrderId, InstrumentId, Order, VenueId } from '../../domain/index.ts';
import type { ReplyTo } from '../kernel/index.ts';
import type {
  PlacementResult,
  VenueExecutionEvent,
  VenueOrderSnapshot,
} from '../../venues/venue-connector.ts';
import type { OrderObservation, RepairKind } from './reconciliation.ts';
import type { ExecutionEventWire } from '../venue/venue-wire.ts';
import type { HistoryStep } from './order-history.ts';

/**
 * A new order as a client asks for it. Decimals are text, as on the wire, so that a bad value is
 * reported as INVALID_ARGUMENT naming its field before anything else happens.
 */
export interface PlaceOrderRequest {
  /** The idempotency key: a repeat with the same id returns the existing order. */
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly type: string;
  /** Default GTC. */
  readonly timeInForce?: string;
  readonly quantity: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly expireAt?: number;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
}

/** What a reconciliation pass found and did. */
export interface ReconcileReport {
  readonly trigger: ReconcileTrigger;
  readonly ordersChecked: number;
  readonly repairs: Readonly<Partial<Record<RepairKind, number>>>;
  readonly anomalies: readonly string[];
}

/** What started a reconciliation: `order-query` is the check of one order (ack timeout, missing fills). */
export type ReconcileTrigger = 'recovery' | 'reconnected' | 'periodic' | 'manual' | 'order-query';

/** The venue's view gathered by one reconciliation pass (read outside the actor, applied inside). */
export interface VenueObservation {
  readonly venue: VenueId;
  readonly orders: readonly OrderObservation[];
  /** Open at the venue, unknown here when the pass started. */
  readonly unknown: readonly OrderObservation[];
}

/** Commands of `orders/<accountId>`: the first group is the public API, the rest its own follow-ups. */
export type OrdersCommand =
  | { readonly type: 'place'; readonly request: PlaceOrderRequest; readonly replyTo: ReplyTo<Order> }
  | { readonly type: 'cancel'; readonly clientOrderId: string; readonly replyTo?: ReplyTo<Order> }
  | {
      readonly type: 'cancel-replace';
      readonly clientOrderId: string;
      readonly replacement: PlaceOrderRequest;
      readonly replyTo: ReplyTo<Order>;
    }
  | { readonly type: 'cancel-all'; readonly instrumentId?: string; readonly replyTo: ReplyTo<number> }
  | { readonly type: 'get'; readonly clientOrderId: string; readonly replyTo: ReplyTo<Order | undefined> }
  | { readonly type: 'list'; readonly replyTo: ReplyTo<readonly Order[]> }
  | {
      readonly type: 'reconcile';
      readonly trigger: ReconcileTrigger;
      readonly replyTo?: ReplyTo<ReconcileReport>;
    }
  /** An execution event from `venue/<venue>` (the manager subscribed its identity), in wire form. */
  | { readonly type: 'venue-execution'; readonly venue: string; readonly event: ExecutionEventWire }
  // Follow-ups the manager sends itself when a venue call or stream event completes.
  | { readonly type: 'venue-event'; readonly venue: VenueId; readonly event: VenueExecutionEvent }
  | { readonly type: 'placed'; readonly clientOrderId: ClientOrderId; readonly result: PlacementResult }
  | { readonly type: 'place-failed'; readonly clientOrderId: ClientOrderId; readonly error: string }
  | {
      readonly type: 'cancel-answered';
      readonly clientOrderId: ClientOrderId;
      readonly snapshot?: VenueOrderSnapshot;
      readonly error?: string;
    }
  | { readonly type: 'ack-timeout'; readonly clientOrderId: ClientOrderId }
  | { readonly type: 'observed'; readonly observation: OrderObservation }
  | {
      readonly type: 'reconcile-observed';
      readonly trigger: ReconcileTrigger;
      readonly observations: readonly VenueObservation[];
      readonly failures: readonly string[];
      readonly replyTo?: ReplyTo<ReconcileReport>;
    }
  | { readonly type: 'release-replacements' }
  /** Order history follow-ups: filter loaded, a probable repeat read, an archive written (order-history.ts). */
  | { readonly type: 'history'; readonly step: HistoryStep };

/** Request builders (the parameter's type is the reply's type). */
export const OrdersRequest = {
  place:
    (request: PlaceOrderRequest) =>
    (replyTo: ReplyTo<Order>): OrdersCommand => ({ type: 'place', request, replyTo }),
  cancel:
    (clientOrderId: string) =>
    (replyTo: ReplyTo<Order>): OrdersCommand => ({ type: 'cancel', clientOrderId, replyTo }),
  cancelReplace:
    (clientOrderId: string, replacement: PlaceOrderRequest) =>
    (replyTo: ReplyTo<Order>): OrdersCommand => ({
      type: 'cancel-replace',
      clientOrderId,
      replacement,
      replyTo,
    }),
  cancelAll:
    (instrumentId?: InstrumentId) =>
    (replyTo: ReplyTo<number>): OrdersCommand => ({
      type: 'cancel-all',
      ...(instrumentId === undefined ? {} : { instrumentId }),
      replyTo,
    }),
  get:
    (clientOrderId: string) =>
    (replyTo: ReplyTo<Order | undefined>): OrdersCommand => ({ type: 'get', clientOrderId, replyTo }),
  list:
    () =>
    (replyTo: ReplyTo<readonly Order[]>): OrdersCommand => ({ type: 'list', replyTo }),
  reconcile:
    () =>
    (replyTo: ReplyTo<ReconcileReport>): OrdersCommand => ({ type: 'reconcile', trigger: 'manual', replyTo }),
} as const;
