import { X509Certificate } from './x509.ts';
import { constants } from 'node:fs';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FailedPreconditionError, InvalidArgumentError } from '../../domain/errors.ts';
import type { DevelopmentCa } from './development-ca.ts';
import { createDevelopmentCa, loadDevelopmentCa, randomSerialNumber } from './development-ca.ts';
import type { NodeCertificateOptions } from './node-certificate.ts';
import { isIssuedBy, issueNodeCertificate, validateNodeId } from './node-certificate.ts';

/** What a node needs for mutual TLS: the cluster CA, its own certificate and its private key (PEM). */
export interface ClusterTls {
  readonly nodeId: string;
  readonly caPem: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Where `loadOrCreateClusterTls` keeps its files. */
export interface ClusterTlsPaths {
  readonly ca: string;
  readonly caKey: string;
  readonly node: string;
  readonly nodeKey: string;
}

/**
 * Layout: `<dir>/ca.pem`, `<dir>/ca-key.pem` shared by every node of the cluster, and
 * `<dir>/<nodeId>/node.pem`, `<dir>/<nodeId>/node-key.pem` per node. Keys are written 0600.
 */
export function clusterTlsPaths(dir: string, nodeId: string): ClusterTlsPaths {
  validateNodeId(nodeId);
  return {
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    node: join(dir, nodeId, 'node.pem'),
    nodeKey: join(dir, nodeId, 'node-key.pem'),
  };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Publishes `content` at `path` only if nothing is there yet (write to a temporary file, then
 * hard-link: atomic and exclusive), so nodes starting together agree on one CA. Returns false when
 * another writer got there first.
 */
async function publishExclusive(path: string, content: string, mode: number): Promise<boolean> {
  const temporary = `${path}.${randomSerialNumber()}.tmp`;
  await writeFile(temporary, content, { mode, flag: 'wx' });
  try {
    await chmod(temporary, mode);
    await link(temporary, path);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Loads the CA in `dir`, creating it when absent (exclusively: concurrent callers end up with the same CA). */
export async function loadOrCreateCa(dir: string): Promise<DevelopmentCa> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  if ((await readIfExists(caPath)) === undefined) {
    const created = await createDevelopmentCa();
    // The key goes first: whoever sees ca.pem can rely on ca-key.pem being there.
    if (await publishExclusive(keyPath, created.privateKeyPem, 0o600)) {
      await publishExclusive(caPath, created.certificatePem, 0o644);
      return created;
    }
  }
  // Another process is creating it: wait (briefly) for both files.
  for (let attempt = 0; ; attempt += 1) {
    const certificatePem = await readIfExists(caPath);
    const keyPem = await readIfExists(keyPath);
    if (certificatePem !== undefined && keyPem !== undefined)
      return loadDevelopmentCa(certificatePem, keyPem);
    if (attempt >= 50) {
      throw new FailedPreconditionError(
        `the cluster CA in ${dir} is incomplete: ${certificatePem === undefined ? 'ca.pem' : 'ca-key.pem'} is missing`,
        { details: { dir } },
      );
    }
    await sleep(20);
  }
}

/**
 * The TLS material of `nodeId`, from `dir`, creating the development CA and the node certificate on
 * first use. An existing node certificate must be signed by the CA in `dir` and unexpired, or this
 * throws rather than silently replacing it.
 */
export async function loadOrCreateClusterTls(
  dir: string,
  nodeId: string,
  options: NodeCertificateOptions = {},
): Promise<ClusterTls> {
  const paths = clusterTlsPaths(dir, nodeId);
  const ca = await loadOrCreateCa(dir);
  const existingCert = await readIfExists(paths.node);
  const existingKey = await readIfExists(paths.nodeKey);
  if (existingCert !== undefined && existingKey !== undefined) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(existingCert);
    } catch (error) {
      throw new InvalidArgumentError(paths.node, 'is not a PEM X.509 certificate', { cause: error });
    }
    if (!(await isIssuedBy(certificate, ca.certificate))) {
      throw new FailedPreconditionError(
        `${paths.node} is not signed by the cluster CA in ${paths.ca} or has expired; remove it to issue a new one`,
        { details: { nodeId, dir } },
      );
    }
    return { nodeId, caPem: ca.certificatePem, certificatePem: existingCert, privateKeyPem: existingKey };
  }
  const issued = await issueNodeCertificate(ca, nodeId, options);
  await mkdir(join(dir, nodeId), { recursive: true, mode: 0o700 });
  await writeFile(paths.nodeKey, issued.privateKeyPem, { mode: 0o600 });
  await chmod(paths.nodeKey, 0o600);
  await writeFile(paths.node, issued.certificatePem, { mode: 0o644 });
  return {
    nodeId,
    caPem: ca.certificatePem,
    certificatePem: issued.certificatePem,
    privateKeyPem: issued.privateKeyPem,
  };
}

/** File mode bits of a key file written here (for tests and `gekko certs init` output). */
export const PRIVATE_KEY_FILE_MODE = constants.S_IRUSR | constants.S_IWUSR;
