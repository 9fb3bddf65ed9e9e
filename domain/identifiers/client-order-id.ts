import { InternalError } from '../errors.ts';
import type { Brand } from './brand.ts';
import { checkIdentifier } from './identifier-text.ts';

/**
 * Our id for an order, chosen before the order is persisted and sent, so a retry or a recovery
 * after a crash can find the order at the venue instead of placing it twice.
 *
 * The alphabet is the intersection of what the venues accept: Binance `newClientOrderId`
 * `^[.A-Z:/a-z0-9_-]{1,36}$`, Coinbase `client_order_id` (free text, UUIDs in practice) and OANDA
 * `clientExtensions.id` (at most 128 characters). `.`, `:` and `/` are left out because OANDA
 * addresses an order by `@<clientExtensions.id>` in the URL path, where `/` splits the path and
 * `.`/`..` segments are rewritten. Result: `^[A-Za-z0-9_-]{1,36}$` (a UUID fits exactly).
 */
export type ClientOrderId = Brand<string, 'ClientOrderId'>;

const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,36}$/;
const EXPECTED = 'a client order id of 1 to 36 letters, digits, "_" or "-"';

/** Validates a client order id; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseClientOrderId(text: unknown, field = 'clientOrderId'): ClientOrderId {
  return checkIdentifier(text, field, CLIENT_ORDER_ID, EXPECTED) as ClientOrderId;
}

export function isClientOrderId(value: unknown): value is ClientOrderId {
  return typeof value === 'string' && CLIENT_ORDER_ID.test(value);
}

/** A source of random bytes; tests pass a deterministic one. */
export type RandomBytes = (length: number) => Uint8Array;

const cryptoRandomBytes: RandomBytes = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

/** Marks ids Ninja Gekko generated, so reconciliation can tell our orders from manual ones. */
export const CLIENT_ORDER_ID_PREFIX = 'ng-';

/** A fresh client order id: `ng-` and 128 random bits as 32 lowercase hex digits (35 characters). */
export function newClientOrderId(randomBytes: RandomBytes = cryptoRandomBytes): ClientOrderId {
  const bytes = randomBytes(16);
  if (bytes.length !== 16) throw new InternalError(`randomBytes(16) returned ${bytes.length} bytes`);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${CLIENT_ORDER_ID_PREFIX}${hex}` as ClientOrderId;
}
