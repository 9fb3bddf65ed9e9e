import {
  FixedDecimal,
  InvalidArgumentError,
  Price,
  Quantity,
  assertValidOrder,
  createOrder,
  defaultTimeInForce,
  parseClientOrderId,
  parseInstrumentIdParts,
  parseOrderSide,
  parseOrderType,
  parseTimeInForce,
} from '../../domain/index.ts';
import type { AccountId, Instrument, Order, OrderId, OrderRequest } from '../../domain/index.ts';
import type { PlaceOrderRequest } from './order-manager-messages.ts';
import type { VenueAccess, VenueEndpoint } from './venue-access.ts';

/** A request checked against its venue and instrument: ready for the risk checks. */
export interface CheckedPlacement {
  readonly order: Order;
  readonly instrument: Instrument;
  readonly endpoint: VenueEndpoint;
}

function positive(text: string | undefined, field: string): FixedDecimal | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string')
    throw new InvalidArgumentError(field, `must be decimal text, got ${typeof text}`);
  const value = FixedDecimal.parse(text, field);
  if (!value.isPositive()) throw new InvalidArgumentError(field, `must be greater than zero, got ${text}`);
  return value;
}

/**
 * Validates a placement before anything is persisted or sent: identifiers, enums, decimals, the
 * venue's capabilities and the instrument's rules. Throws `InvalidArgumentError` naming the field.
 */
export function checkPlaceRequest(
  request: PlaceOrderRequest,
  context: {
    readonly accountId: AccountId;
    readonly venues: VenueAccess;
    readonly orderId: OrderId;
    readonly now: number;
  },
): CheckedPlacement {
  const clientOrderId = parseClientOrderId(request.clientOrderId, 'clientOrderId');
  const { id: instrumentId, venue } = parseInstrumentIdParts(request.instrumentId, 'instrumentId');
  const endpoint = context.venues.venue(venue);
  if (endpoint === undefined)
    throw new InvalidArgumentError('instrumentId', `venue ${venue} is not available on this node`);
  const instrument = endpoint.instruments().find((i) => i.id === instrumentId);
  if (instrument === undefined)
    throw new InvalidArgumentError('instrumentId', `unknown instrument ${instrumentId} on ${venue}`);
  const side = parseOrderSide(request.side, 'side');
  const type = parseOrderType(request.type, 'type');
  const timeInForce =
    request.timeInForce === undefined
      ? defaultTimeInForce(type)
      : parseTimeInForce(request.timeInForce, 'timeInForce');
  const caps = endpoint.capabilities;
  if (!caps.orderTypes.includes(type)) {
    throw new InvalidArgumentError(
      'type',
      `${venue} does not support ${type} orders (supported: ${caps.orderTypes.join(', ')})`,
    );
  }
  if (!caps.timeInForce.includes(timeInForce)) {
    throw new InvalidArgumentError(
      'timeInForce',
      `${venue} does not support ${timeInForce} (supported: ${caps.timeInForce.join(', ')})`,
    );
  }
  if (request.postOnly === true && !caps.postOnly)
    throw new InvalidArgumentError('postOnly', `${venue} does not support post-only orders`);
  if (request.reduceOnly === true && !caps.reduceOnly) {
    throw new InvalidArgumentError('reduceOnly', `${venue} does not support reduce-only orders`);
  }
  const quantityValue = positive(request.quantity, 'quantity');
  if (quantityValue === undefined) throw new InvalidArgumentError('quantity', 'is required');
  const quantity = Quantity.from(quantityValue);
  const priceValue = positive(request.price, 'price');
  const stopValue = positive(request.stopPrice, 'stopPrice');
  const price = priceValue === undefined ? undefined : Price.from(priceValue);
  const stopPrice = stopValue === undefined ? undefined : Price.from(stopValue);
  // Optional fields set, not spread in from a temporary object each (every order placed).
  const orderRequest: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } = {
    id: context.orderId,
    clientOrderId,
    accountId: context.accountId,
    instrumentId,
    side,
    type,
    timeInForce,
    quantity,
    createdAt: context.now,
  };
  if (price !== undefined) orderRequest.price = price;
  if (stopPrice !== undefined) orderRequest.stopPrice = stopPrice;
  if (request.expireAt !== undefined) orderRequest.expireAt = request.expireAt;
  if (request.postOnly !== undefined) orderRequest.postOnly = request.postOnly;
  if (request.reduceOnly !== undefined) orderRequest.reduceOnly = request.reduceOnly;
  const order = createOrder(orderRequest);
  // The order carries what the instrument's rules look at.
  assertValidOrder(instrument, order);
  return { order, instrument, endpoint };
}
