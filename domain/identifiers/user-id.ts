import type { Brand } from './brand.ts';
import { isCanonicalUuid, parseUuidText } from './uuid-text.ts';

/** A person or service that signs in to the gateway; key of `principal/<userId>`. */
export type UserId = Brand<string, 'UserId'>;

/**
 * Validates a user id and returns it lowercase; throws `InvalidArgumentError` naming `field`
 * when it is not a UUID.
 */
export function parseUserId(text: unknown, field = 'userId'): UserId {
  return parseUuidText(text, field, 'a user id') as UserId;
}

/** True only for the canonical (lowercase) form that `parseUserId` returns. */
export function isUserId(value: unknown): value is UserId {
  return isCanonicalUuid(value);
}
