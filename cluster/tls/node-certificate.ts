import type { X509Certificate } from './x509.ts';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from './x509.ts';
import { isIP } from 'node:net';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { DevelopmentCa } from './development-ca.ts';
import { randomSerialNumber } from './development-ca.ts';
import { CLUSTER_SIGNING_ALGORITHM, generateClusterKeyPair, privateKeyToPem } from './pem.ts';

/** A node's certificate (CN = node id; serverAuth and clientAuth) and its private key. */
export interface NodeCertificate {
  readonly nodeId: string;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface NodeCertificateOptions {
  /** Subject alternative names: IP addresses and DNS names. Default ['127.0.0.1', 'localhost']. */
  readonly hosts?: readonly string[];
  /** Default 825 days (the longest validity clients commonly accept). */
  readonly validityDays?: number;
}

const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const DAY_MS = 86_400_000;

/** Node ids name certificate subjects and directories, so they are restricted to a safe alphabet. */
export function validateNodeId(nodeId: string): void {
  if (!NODE_ID_PATTERN.test(nodeId)) {
    throw new InvalidArgumentError(
      'nodeId',
      `must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(nodeId)}`,
    );
  }
}

/** Issues a certificate for `nodeId`, signed by `ca`, usable as both TLS server and client. */
export async function issueNodeCertificate(
  ca: DevelopmentCa,
  nodeId: string,
  options: NodeCertificateOptions = {},
): Promise<NodeCertificate> {
  validateNodeId(nodeId);
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  if (hosts.length === 0) throw new InvalidArgumentError('hosts', 'must name at least one host');
  const keys = await generateClusterKeyPair();
  const now = Date.now();
  const certificate = await X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: [{ CN: [nodeId] }, { O: ['Ninja Gekko'] }],
    issuer: ca.certificate.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.validityDays ?? 825) * DAY_MS),
    signingAlgorithm: CLUSTER_SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
      new SubjectAlternativeNameExtension(
        hosts.map((host) => (isIP(host) === 0 ? { type: 'dns', value: host } : { type: 'ip', value: host })),
      ),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      await AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  return {
    nodeId,
    certificate,
    certificatePem: `${certificate.toString('pem')}\n`,
    privateKeyPem: await privateKeyToPem(keys.privateKey),
  };
}

/** True when `certificate` was signed by `ca` and is valid now. */
export async function isIssuedBy(certificate: X509Certificate, ca: X509Certificate): Promise<boolean> {
  return certificate.verify({ publicKey: ca.publicKey, date: new Date() });
}
