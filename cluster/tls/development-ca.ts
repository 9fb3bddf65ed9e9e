import type { webcrypto } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from './x509.ts';
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../../domain/errors.ts';
import {
  CLUSTER_SIGNING_ALGORITHM,
  generateClusterKeyPair,
  privateKeyFromPem,
  privateKeyToPem,
} from './pem.ts';

/** A certificate authority that signs the certificates of one cluster's nodes. */
export interface DevelopmentCa {
  readonly certificate: X509Certificate;
  readonly privateKey: webcrypto.CryptoKey;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface DevelopmentCaOptions {
  /** Common name of the CA; default "Ninja Gekko development CA". */
  readonly commonName?: string;
  /** Default 3650 (ten years: a development CA should outlive the clusters it signs for). */
  readonly validityDays?: number;
}

const DAY_MS = 86_400_000;

/** A random positive serial number (hex), as RFC 5280 asks: at most 20 octets, high bit clear. */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** Creates a self-signed ECDSA P-256 CA for signing node certificates. */
export async function createDevelopmentCa(options: DevelopmentCaOptions = {}): Promise<DevelopmentCa> {
  const commonName = options.commonName ?? 'Ninja Gekko development CA';
  const keys = await generateClusterKeyPair();
  const now = Date.now();
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ CN: [commonName] }, { O: ['Ninja Gekko'] }],
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.validityDays ?? 3650) * DAY_MS),
    signingAlgorithm: CLUSTER_SIGNING_ALGORITHM,
    keys,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    privateKey: keys.privateKey,
    certificatePem: `${certificate.toString('pem')}\n`,
    privateKeyPem: await privateKeyToPem(keys.privateKey),
  };
}

/** Loads a CA from its certificate and private key PEM, checking that they belong together. */
export async function loadDevelopmentCa(
  certificatePem: string,
  privateKeyPem: string,
): Promise<DevelopmentCa> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new InvalidArgumentError('ca.certificate', 'is not a PEM X.509 certificate', { cause: error });
  }
  const privateKey = await privateKeyFromPem(privateKeyPem, 'ca.privateKey');
  const probe = new TextEncoder().encode('ninja-gekko-ca-key-check');
  const signature = await globalThis.crypto.subtle.sign(CLUSTER_SIGNING_ALGORITHM, privateKey, probe);
  const publicKey = await globalThis.crypto.subtle.importKey(
    'spki',
    certificate.publicKey.rawData,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const matches = await globalThis.crypto.subtle.verify(
    CLUSTER_SIGNING_ALGORITHM,
    publicKey,
    signature,
    probe,
  );
  if (!matches) {
    throw new InvalidArgumentError('ca.privateKey', 'does not belong to the CA certificate');
  }
  return { certificate, privateKey, certificatePem, privateKeyPem };
}
