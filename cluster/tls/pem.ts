import type { webcrypto } from 'node:crypto';
import { PemConverter } from './x509.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** The key algorithm of every cluster key: ECDSA on P-256, signing with SHA-256. */
export const CLUSTER_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const CLUSTER_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A new extractable P-256 key pair. */
export async function generateClusterKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(CLUSTER_KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** PKCS#8 PEM ("PRIVATE KEY"), the form Node's TLS and grpc-js accept. */
export async function privateKeyToPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey('pkcs8', key);
  return `${PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/** Imports a PKCS#8 PEM P-256 private key for signing. */
export async function privateKeyFromPem(pem: string, field = 'privateKey'): Promise<webcrypto.CryptoKey> {
  let der: ArrayBuffer;
  try {
    const decoded = PemConverter.decode(pem);
    const first = decoded[0];
    if (first === undefined) throw new Error('no PEM block found');
    der = first;
  } catch (error) {
    throw new InvalidArgumentError(field, 'is not a PEM private key', { cause: error });
  }
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', der, CLUSTER_KEY_ALGORITHM, true, ['sign']);
  } catch (error) {
    throw new InvalidArgumentError(field, 'is not a PKCS#8 ECDSA P-256 private key', { cause: error });
  }
}
