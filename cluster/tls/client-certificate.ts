import { access } from 'node:fs/promises';
import { FailedPreconditionError } from '../../domain/errors.ts';
import type { ClusterTls } from './cluster-tls-files.ts';
import { clusterTlsPaths, loadOrCreateClusterTls } from './cluster-tls-files.ts';

/** The client certificate name `gekko cluster` presents by default (an administrator). */
export const DEFAULT_CLIENT_NAME = 'admin';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * A client certificate for calling a node's ClusterService: `<dir>/<name>/node.pem` (same layout
 * as node certificates), issued by the CA in `dir` on first use when its key is there (a
 * development CA from `gekko certs init`). Never creates a CA: one the nodes do not trust is useless.
 */
export async function loadOrIssueClientTls(dir: string, name: string): Promise<ClusterTls> {
  const paths = clusterTlsPaths(dir, name);
  if (!(await exists(paths.ca))) {
    throw new FailedPreconditionError(
      `no cluster CA at ${paths.ca}: run \`gekko certs init\` or point --tls-dir at the cluster's certificates`,
      { details: { dir } },
    );
  }
  const haveCertificate = (await exists(paths.node)) && (await exists(paths.nodeKey));
  if (!haveCertificate && !(await exists(paths.caKey))) {
    throw new FailedPreconditionError(
      `no client certificate ${paths.node}, and no CA key in ${dir} to issue one`,
      { details: { dir, name } },
    );
  }
  return loadOrCreateClusterTls(dir, name);
}
