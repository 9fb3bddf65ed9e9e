import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Refresh tokens and API key secrets are 256 random bits, so a fast hash is enough to keep them
 * useless to someone who reads the database (no dictionary to try); argon2 is for passwords.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
