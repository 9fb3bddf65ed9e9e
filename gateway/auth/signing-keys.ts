import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { JWK } from 'jose';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** The JWS algorithm of every access token: Ed25519 (config secrets.jwtSigningKeys). */
export const TOKEN_ALGORITHM = 'EdDSA';

export interface SigningKey {
  /** RFC 7638 JWK thumbprint of the public key: stable across restarts and nodes. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JWK;
}

/**
 * The node's token keys. The first signs new tokens; every key verifies. Rotation without downtime:
 * put the new key first and keep the old one listed until the last token it signed has expired
 * (one access-token lifetime), then remove it. Verifiers find a token's key by its `kid` header.
 */
export class SigningKeyring {
  private readonly byKid: ReadonlyMap<string, SigningKey>;

  private constructor(
    readonly current: SigningKey,
    keys: readonly SigningKey[],
  ) {
    this.byKid = new Map(keys.map((key) => [key.kid, key]));
  }

  /** Loads PKCS#8 PEM Ed25519 private keys (the order of config secrets.jwtSigningKeys). */
  static async fromPems(pems: readonly [string, ...string[]]): Promise<SigningKeyring> {
    const keys = await Promise.all(pems.map((pem, index) => loadKey(pem, index)));
    const [current] = keys;
    if (current === undefined) throw new InvalidArgumentError('secrets.jwtSigningKeys', 'no key');
    return new SigningKeyring(current, keys);
  }

  key(kid: string): SigningKey | undefined {
    return this.byKid.get(kid);
  }

  /** The public keys as a JWK Set, for GET /.well-known/jwks.json. */
  jwks(): { readonly keys: readonly JWK[] } {
    return { keys: [...this.byKid.values()].map((key) => key.publicJwk) };
  }
}

async function loadKey(pem: string, index: number): Promise<SigningKey> {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new InvalidArgumentError(`secrets.jwtSigningKeys.${index}`, 'must be an Ed25519 private key');
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...jwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' },
  };
}
