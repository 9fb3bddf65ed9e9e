import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataLossError, FailedPreconditionError, InvalidArgumentError } from '../domain/errors.ts';
import { CredentialCipher, parseCredentialKey } from './credential-cipher.ts';
import type { EncryptedCredentials } from './credential-cipher.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const secret = '{"apiKey":"AKIA-test","secret":"s3cr3t-value"}';
const account = '6f1c2f7e-0000-4000-8000-000000000001';

function flipByte(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

function expectDataLossWithoutPlaintext(action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DataLossError);
  expect(String((caught as Error).message)).not.toContain('s3cr3t');
  expect(JSON.stringify((caught as DataLossError).details)).not.toContain('s3cr3t');
}

describe('CredentialCipher', () => {
  const cipher = new CredentialCipher({ currentVersion: 1, keys: { 1: keyA } });

  it('round-trips and records the key version', () => {
    const sealed = cipher.encrypt(account, secret);
    expect(sealed.keyVersion).toBe(1);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.ciphertext.toString('utf8')).not.toContain('s3cr3t');
    expect(cipher.decrypt(account, sealed).toString('utf8')).toBe(secret);
  });

  it('uses a fresh IV for every encryption', () => {
    const one = cipher.encrypt(account, secret);
    const two = cipher.encrypt(account, secret);
    expect(one.iv.equals(two.iv)).toBe(false);
    expect(one.ciphertext.equals(two.ciphertext)).toBe(false);
  });

  it('refuses a ciphertext copied to another account', () => {
    const sealed = cipher.encrypt(account, secret);
    expectDataLossWithoutPlaintext(() => cipher.decrypt('another-account', sealed));
  });

  it('refuses tampered ciphertext, tag or IV', () => {
    const sealed = cipher.encrypt(account, secret);
    const variants: EncryptedCredentials[] = [
      { ...sealed, ciphertext: flipByte(sealed.ciphertext, 3) },
      { ...sealed, tag: flipByte(sealed.tag) },
      { ...sealed, iv: flipByte(sealed.iv) },
    ];
    for (const variant of variants) expectDataLossWithoutPlaintext(() => cipher.decrypt(account, variant));
    expectDataLossWithoutPlaintext(() =>
      cipher.decrypt(account, { ...sealed, tag: sealed.tag.subarray(0, 8) }),
    );
  });

  it('refuses decryption with the wrong key', () => {
    const sealed = cipher.encrypt(account, secret);
    const other = new CredentialCipher({ currentVersion: 1, keys: { 1: keyB } });
    expectDataLossWithoutPlaintext(() => other.decrypt(account, sealed));
  });

  it('rotates keys: new data uses the current version, old data still decrypts', () => {
    const old = cipher.encrypt(account, secret);
    const rotated = new CredentialCipher({ currentVersion: 2, keys: { 1: keyA, 2: keyB } });
    const fresh = rotated.encrypt(account, secret);
    expect(fresh.keyVersion).toBe(2);
    expect(rotated.decrypt(account, old).toString('utf8')).toBe(secret);
    expect(rotated.decrypt(account, fresh).toString('utf8')).toBe(secret);
    // Relabelling the version is caught by the associated data, not only by the key.
    const same = new CredentialCipher({ currentVersion: 2, keys: { 1: keyA, 2: keyA } });
    expectDataLossWithoutPlaintext(() => same.decrypt(account, { ...old, keyVersion: 2 }));
    expect(() => cipher.decrypt(account, fresh)).toThrow(FailedPreconditionError);
  });

  it('validates keys without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseCredentialKey(short, 'secrets.credentialKey')).toThrow(InvalidArgumentError);
    expect(() => parseCredentialKey(short)).toThrow(/32 bytes, got 16/);
    try {
      parseCredentialKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => parseCredentialKey('not base64 at all!')).toThrow(InvalidArgumentError);
    expect(parseCredentialKey(randomBytes(32).toString('base64url'))).toHaveLength(32);
    expect(() => new CredentialCipher({ currentVersion: 3, keys: { 1: keyA } })).toThrow(/current version 3/);
  });
});
