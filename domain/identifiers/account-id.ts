import type { Brand } from './brand.ts';
import { isCanonicalUuid, parseUuidText } from './uuid-text.ts';

/** A trading account (one set of venue credentials and balances); key of `orders/<accountId>`. */
export type AccountId = Brand<string, 'AccountId'>;

/**
 * Validates an account id and returns it lowercase; throws `InvalidArgumentError` naming `field`
 * when it is not a UUID.
 */
export function parseAccountId(text: unknown, field = 'accountId'): AccountId {
  return parseUuidText(text, field, 'an account id') as AccountId;
}

/** True only for the canonical (lowercase) form that `parseAccountId` returns. */
export function isAccountId(value: unknown): value is AccountId {
  return isCanonicalUuid(value);
}
