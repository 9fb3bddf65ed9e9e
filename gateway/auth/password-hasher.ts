import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id at the OWASP minimum (m = 19 MiB, t = 2, p = 1): about 45 ms per hash on the reference
 * machine (docs/gateway.md). argon2 hashes on libuv's thread pool, so the event loop keeps serving.
 */
export const ARGON2_PARAMETERS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Hashes and verifies passwords; verifying for an unknown user costs as much as for a known one. */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor() {
    this.dummyHash = argon2.hash(randomBytes(24).toString('base64'), ARGON2_PARAMETERS);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_PARAMETERS);
  }

  /**
   * True when `password` matches `hash`. Without a hash (no such user) it verifies against a dummy
   * hash and answers false, so that a login takes as long whether the user exists or not.
   */
  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? (await this.dummyHash), password);
    return hash !== undefined && matches;
  }
}
