import { AlreadyExistsError, FailedPreconditionError } from '../errors.ts';
import type { NinjaErrorOptions } from '../errors.ts';
import type { ClientOrderId, TradeId, VenueOrderId } from '../identifiers/index.ts';
import type { OrderEventKind } from './order-events.ts';
import type { OrderStatus } from './order-status.ts';

/** The event is not allowed in the order's status (no row for it in `ORDER_TRANSITIONS`). */
export class IllegalOrderTransitionError extends FailedPreconditionError {
  readonly clientOrderId: ClientOrderId;
  readonly from: OrderStatus;
  readonly event: OrderEventKind;

  constructor(
    clientOrderId: ClientOrderId,
    from: OrderStatus,
    event: OrderEventKind,
    options: NinjaErrorOptions = {},
  ) {
    super(`order ${clientOrderId}: event ${event} is not allowed in status ${from}`, {
      ...options,
      details: { clientOrderId, from, event, ...options.details },
    });
    this.clientOrderId = clientOrderId;
    this.from = from;
    this.event = event;
  }
}

/** A fill would take the filled quantity above the order quantity. The order is left unchanged. */
export class OverfillError extends FailedPreconditionError {
  readonly clientOrderId: ClientOrderId;
  readonly tradeId: TradeId;
  /** Decimal text of the order quantity, the quantity filled before this fill, and this fill. */
  readonly orderQuantity: string;
  readonly filledQuantity: string;
  readonly fillQuantity: string;

  constructor(
    clientOrderId: ClientOrderId,
    tradeId: TradeId,
    quantities: { readonly order: string; readonly filled: string; readonly fill: string },
  ) {
    super(
      `order ${clientOrderId}: fill ${tradeId} of ${quantities.fill} would overfill ` +
        `(${quantities.filled} of ${quantities.order} already filled)`,
      { details: { clientOrderId, tradeId, ...quantities } },
    );
    this.clientOrderId = clientOrderId;
    this.tradeId = tradeId;
    this.orderQuantity = quantities.order;
    this.filledQuantity = quantities.filled;
    this.fillQuantity = quantities.fill;
  }
}

/**
 * The fill's trade id was already applied to this order: venues redeliver (REST response and
 * WebSocket report, reconnect replays). Raised in every status, terminal ones included, so a
 * caller can always tell a harmless repeat from a real illegal transition.
 */
export class DuplicateFillError extends AlreadyExistsError {
  readonly clientOrderId: ClientOrderId;
  readonly tradeId: TradeId;

  constructor(clientOrderId: ClientOrderId, tradeId: TradeId) {
    super(`order ${clientOrderId}: fill ${tradeId} was already applied`, {
      details: { clientOrderId, tradeId },
    });
    this.clientOrderId = clientOrderId;
    this.tradeId = tradeId;
  }
}

/** An event names a different venue order id than the one the order already has. */
export class VenueOrderIdMismatchError extends FailedPreconditionError {
  readonly clientOrderId: ClientOrderId;
  readonly expected: VenueOrderId;
  readonly actual: VenueOrderId;

  constructor(clientOrderId: ClientOrderId, expected: VenueOrderId, actual: VenueOrderId) {
    super(`order ${clientOrderId}: venue order id ${actual} does not match ${expected}`, {
      details: { clientOrderId, expected, actual },
    });
    this.clientOrderId = clientOrderId;
    this.expected = expected;
    this.actual = actual;
  }
}
