import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { InvalidArgumentError } from '../../../domain/errors.ts';

/** The JWS algorithms CDP API keys use: ECDSA P-256 (the default) and Ed25519. */
export const JwtAlgorithm = { ES256: 'ES256', EdDSA: 'EdDSA' } as const;
export type JwtAlgorithm = (typeof JwtAlgorithm)[keyof typeof JwtAlgorithm];

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A CDP API key: its name (`organizations/{org}/apiKeys/{id}`) and private key. The key lives in a
 * private field as a KeyObject, so neither JSON.stringify, util.inspect nor a logger can print it.
 * Accepts the PEM Coinbase hands out (SEC1 `EC PRIVATE KEY` or PKCS#8, with literal `\n` escapes
 * tolerated) or, for Ed25519 keys, the base64 secret (64 bytes seed‖public, or the 32-byte seed).
 */
export class CoinbaseCredentials {
  readonly keyName: string;
  readonly algorithm: JwtAlgorithm;
  readonly #key: KeyObject;

  constructor(keyName: string, privateKey: string | KeyObject) {
    if (keyName.length === 0) throw new InvalidArgumentError('keyName', 'must not be empty');
    this.keyName = keyName;
    this.#key = typeof privateKey === 'string' ? importPrivateKey(privateKey) : privateKey;
    this.algorithm = algorithmOf(this.#key);
  }

  /** Signs `claims` as a compact JWS with the CDP header (`kid` = key name, random `nonce`). */
  sign(claims: JWTPayload, nonce: string): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: this.algorithm, kid: this.keyName, nonce, typ: 'JWT' })
      .sign(this.#key);
  }

  toJSON(): { keyName: string; algorithm: JwtAlgorithm } {
    return { keyName: this.keyName, algorithm: this.algorithm };
  }

  toString(): string {
    return `CoinbaseCredentials(${this.keyName}, ${this.algorithm})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function importPrivateKey(text: string): KeyObject {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  try {
    if (trimmed.startsWith('-----BEGIN')) return createPrivateKey({ key: trimmed, format: 'pem' });
    const raw = Buffer.from(trimmed, 'base64');
    if (raw.length !== 64 && raw.length !== 32) {
      throw new InvalidArgumentError(
        'privateKey',
        `an Ed25519 secret is 32 or 64 base64 bytes, got ${raw.length}`,
      );
    }
    const der = Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    throw new InvalidArgumentError('privateKey', 'is not a PEM EC key or a base64 Ed25519 secret', {
      cause: error,
    });
  }
}

function algorithmOf(key: KeyObject): JwtAlgorithm {
  if (key.type !== 'private') throw new InvalidArgumentError('privateKey', 'must be a private key');
  if (key.asymmetricKeyType === 'ed25519') return JwtAlgorithm.EdDSA;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return JwtAlgorithm.ES256;
  }
  throw new InvalidArgumentError(
    'privateKey',
    `must be an EC P-256 or Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim(),
  );
}
