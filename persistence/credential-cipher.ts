import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DataLossError, FailedPreconditionError, InvalidArgumentError } from '../domain/errors.ts';

/** Venue credentials as stored in `accounts` (credentials_ciphertext, _iv, _tag, _key_version). */
export interface EncryptedCredentials {
  readonly ciphertext: Buffer;
  /** 12 random bytes, fresh for every encryption. */
  readonly iv: Buffer;
  /** 16-byte GCM authentication tag. */
  readonly tag: Buffer;
  readonly keyVersion: number;
}

export interface CredentialKeyring {
  /** The version new encryptions use. */
  readonly currentVersion: number;
  /** Every key still needed to decrypt, by version: 32 bytes, base64. */
  readonly keys: Readonly<Record<number, string>>;
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Versioned prefix of the associated data, so a future format cannot be confused with this one. */
const AAD_PREFIX = 'ninja-gekko/venue-credentials/v1';

/**
 * AES-256-GCM encryption of venue credentials at rest. The associated data binds each ciphertext to
 * its account id and key version: a ciphertext copied to another account's row, or relabelled with
 * another key version, fails authentication like tampered data does. Keys rotate by adding a
 * version: new encryptions use `currentVersion`, old rows decrypt with the version they record.
 */
export class CredentialCipher {
  private readonly keys: ReadonlyMap<number, Buffer>;
  private readonly currentVersion: number;

  constructor(keyring: CredentialKeyring) {
    const keys = new Map<number, Buffer>();
    for (const [versionText, encoded] of Object.entries(keyring.keys)) {
      const version = Number(versionText);
      if (!Number.isInteger(version) || version < 1) {
        throw new InvalidArgumentError(
          'credentialKeys',
          `key version must be a positive integer, got "${versionText}"`,
        );
      }
      keys.set(version, parseCredentialKey(encoded, `credentialKeys.${version}`));
    }
    if (!keys.has(keyring.currentVersion)) {
      throw new InvalidArgumentError(
        'credentialKeys.currentVersion',
        `no key is configured for the current version ${keyring.currentVersion}`,
      );
    }
    this.keys = keys;
    this.currentVersion = keyring.currentVersion;
  }

  encrypt(accountId: string, plaintext: string | Uint8Array): EncryptedCredentials {
    const keyVersion = this.currentVersion;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(keyVersion), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(accountId, keyVersion));
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag(), keyVersion };
  }

  /** The plaintext bytes; throws DataLossError when the data does not authenticate. */
  decrypt(accountId: string, encrypted: EncryptedCredentials): Buffer {
    const { keyVersion } = encrypted;
    const context = { accountId, keyVersion };
    if (encrypted.iv.length !== IV_BYTES || encrypted.tag.length !== TAG_BYTES) {
      throw new DataLossError(
        `venue credentials of account ${accountId} are malformed: IV of ${encrypted.iv.length} bytes and tag of ` +
          `${encrypted.tag.length} bytes (expected ${IV_BYTES} and ${TAG_BYTES})`,
        { details: context },
      );
    }
    const decipher = createDecipheriv(ALGORITHM, this.key(keyVersion), encrypted.iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(accountId, keyVersion));
    decipher.setAuthTag(encrypted.tag);
    try {
      return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]);
    } catch (error) {
      throw new DataLossError(
        `venue credentials of account ${accountId} failed authentication with key version ${keyVersion}: ` +
          'the key is wrong, the stored data was altered, or it was copied from another account',
        { cause: error, details: context },
      );
    }
  }

  private key(version: number): Buffer {
    const key = this.keys.get(version);
    if (key === undefined) {
      throw new FailedPreconditionError(
        `no credential key version ${version} is configured; add it to the keyring to read data encrypted with it`,
        { details: { keyVersion: version } },
      );
    }
    return key;
  }
}

/** Decodes a base64 AES-256 key, naming `field` (never the key) when it is not exactly 32 bytes. */
export function parseCredentialKey(encoded: string, field = 'credentialKey'): Buffer {
  const trimmed = encoded.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+$/.test(trimmed)) {
    throw new InvalidArgumentError(field, 'must be base64');
  }
  const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (key.length !== KEY_BYTES) {
    throw new InvalidArgumentError(field, `must decode to ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}

function associatedData(accountId: string, keyVersion: number): Buffer {
  if (accountId === '') throw new InvalidArgumentError('accountId', 'must not be empty');
  return Buffer.from(`${AAD_PREFIX}\0${accountId}\0${keyVersion}`, 'utf8');
}
