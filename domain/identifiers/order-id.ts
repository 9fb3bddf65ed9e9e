import type { Brand } from './brand.ts';
import { isCanonicalUuid, parseUuidText } from './uuid-text.ts';

/**
 * Ninja Gekko's own id for an order (a UUID; `order_id` on the wire). The venue's id is a
 * `VenueOrderId`; the idempotency key sent to the venue is the `ClientOrderId`.
 */
export type OrderId = Brand<string, 'OrderId'>;

/**
 * Validates an order id and returns it lowercase; throws `InvalidArgumentError` naming `field`
 * when it is not a UUID.
 */
export function parseOrderId(text: unknown, field = 'orderId'): OrderId {
  return parseUuidText(text, field, 'an order id') as OrderId;
}

/** True only for the canonical (lowercase) form that `parseOrderId` returns. */
export function isOrderId(value: unknown): value is OrderId {
  return isCanonicalUuid(value);
}

/** A fresh random (version 4) order id. */
export function newOrderId(): OrderId {
  return globalThis.crypto.randomUUID() as OrderId;
}
