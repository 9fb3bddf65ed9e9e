import type { Brand } from './brand.ts';
import { checkIdentifier } from './identifier-text.ts';

/**
 * The venue's id for an order (Binance `orderId`, Coinbase `order_id`, OANDA order ID), kept as
 * text whatever its native type: 1 to 64 visible ASCII characters, no spaces. Not to be confused
 * with `OrderId`, Ninja Gekko's own id for the order.
 */
export type VenueOrderId = Brand<string, 'VenueOrderId'>;

const VENUE_ORDER_ID = /^[\x21-\x7e]{1,64}$/;
const EXPECTED = 'a venue order id of 1 to 64 visible ASCII characters';

/** Validates a venue order id; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseVenueOrderId(text: unknown, field = 'venueOrderId'): VenueOrderId {
  return checkIdentifier(text, field, VENUE_ORDER_ID, EXPECTED) as VenueOrderId;
}

export function isVenueOrderId(value: unknown): value is VenueOrderId {
  return typeof value === 'string' && VENUE_ORDER_ID.test(value);
}
